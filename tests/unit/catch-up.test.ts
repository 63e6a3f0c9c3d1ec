import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { simulate } from '../../engine/simulator/simulate.js';
import { catchUpStart, planCatchUp } from '../../engine/triggers/catch-up.js';
import { explainCatchUp } from '../../engine/triggers/explain.js';
import { matchTriggers } from '../../engine/triggers/match.js';
import { loadSeedPlaybooks } from '../../server/playbooks/seed.js';

// Catch-up for the renewal cadence (−120, −90, −60, −30, −7 and 0 days from the renewal date): an account that
// arrives late enters at the first step still ahead (or runs the latest past one, or is refused), and "why (not)
// enrolled" says so in a sentence.

const seeds = await loadSeedPlaybooks();
const definition = seeds.find((s) => (s.definition as PlaybookDefinition).key === 'renewal-cadence')!
  .definition as PlaybookDefinition;

function cadence(catchUp?: 'firstAhead' | 'latestPast' | 'refuse'): CompiledPlaybook {
  const { catchUp: _shipped, ...mode } = definition.enrollment;
  const result = compilePlaybook({ ...definition, enrollment: { ...mode, ...(catchUp && { catchUp }) } });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

const RENEWAL = '2027-06-30';
const daysBefore = (days: number) => DateTime.fromISO(RENEWAL).minus({ days }).toISODate()!;
const fields = { segment: 'tech-touch', renewalDate: RENEWAL };

describe('catch-up policy of the renewal cadence', () => {
  it('ships firstAhead explicitly, and a definition without a policy behaves the same', () => {
    expect(cadence().enrollment.catchUp).toBeUndefined();
    expect(definition.enrollment).toEqual({ mode: 'oneAtATime', catchUp: 'firstAhead' });
    expect(planCatchUp(cadence(), fields, daysBefore(45))).toEqual(
      planCatchUp(cadence('firstAhead'), fields, daysBefore(45)),
    );
  });

  it('45 days before renewal: enters at −30 d, and says the −120, −90 and −60 d steps are past', () => {
    const playbook = cadence('firstAhead');
    expect(planCatchUp(playbook, fields, daysBefore(45))).toEqual({
      kind: 'enterAt',
      nodeId: 'until30',
      offsetDays: -30,
      why: 'renewal in 45 days: the −120, −90 and −60 d steps are past; enters at −30 d',
    });
    expect(explainCatchUp(playbook, fields, daysBefore(45))).toEqual({
      policy: 'firstAhead',
      holdsNow: true,
      enterAt: 'until30',
      why: 'Late (firstAhead): renewal in 45 days: the −120, −90 and −60 d steps are past; enters at −30 d.',
    });
  });

  it('on time (120 days or more before): starts at the beginning', () => {
    for (const days of [120, 150]) {
      expect(planCatchUp(cadence(), fields, daysBefore(days))).toEqual({ kind: 'fromStart' });
      expect(explainCatchUp(cadence(), fields, daysBefore(days))!.why).toMatch(/^On time: its first step \(−120 d, /);
    }
  });

  it('a step due today is not late: 30 days before, the run enters at −30 d and sends it today', () => {
    expect(planCatchUp(cadence(), fields, daysBefore(30))).toMatchObject({ kind: 'enterAt', nodeId: 'until30' });
    expect(planCatchUp(cadence(), fields, daysBefore(29))).toMatchObject({
      nodeId: 'until7',
      why: 'renewal in 29 days: the −120, −90, −60 and −30 d steps are past; enters at −7 d',
    });
  });

  it('after the renewal day nothing is left ahead: refused, with why', () => {
    expect(planCatchUp(cadence(), fields, '2027-07-02')).toEqual({
      kind: 'refused',
      why: 'renewal 2 days ago: every step is past; nothing is left to enter at',
    });
  });

  it('latestPast runs the latest past step now; refuse refuses any late account', () => {
    expect(planCatchUp(cadence('latestPast'), fields, daysBefore(45))).toEqual({
      kind: 'enterAt',
      nodeId: 'until60',
      offsetDays: -60,
      why: 'renewal in 45 days: the −120 and −90 d steps are skipped; runs the −60 d step now',
    });
    expect(planCatchUp(cadence('latestPast'), fields, daysBefore(100))).toMatchObject({ kind: 'fromStart' });
    expect(planCatchUp(cadence('refuse'), fields, daysBefore(45))).toEqual({
      kind: 'refused',
      why: 'renewal in 45 days: the −120, −90 and −60 d steps are past; this playbook does not enroll an account late',
    });
    expect(explainCatchUp(cadence('refuse'), fields, daysBefore(45))!.holdsNow).toBe(false);
    expect(planCatchUp(cadence('refuse'), fields, daysBefore(120))).toEqual({ kind: 'fromStart' });
  });

  it('an account without a renewal date, or a playbook not timed from a date, starts at the beginning', () => {
    expect(planCatchUp(cadence(), { segment: 'tech-touch' }, daysBefore(45))).toEqual({ kind: 'fromStart' });
    expect(explainCatchUp(cadence(), {}, daysBefore(45))!.why).toBe(
      'Timed from renewalDate; the account has no renewalDate.',
    );
  });

  it('the preview of a late run: the enrollment says why, and the first email is the −30 d reminder', async () => {
    const start = catchUpStart(cadence(), fields, daysBefore(45), 'enrolled by hand');
    if (!start.ok) throw new Error(start.why);
    const result = await simulate({
      playbook: start.playbook,
      ...(start.reason && { reason: start.reason }),
      account: { id: 'late', timeZone: 'Europe/Madrid', fields },
      startAt: `${daysBefore(45)}T10:00:00Z`,
    });
    expect(result.timeline[0]!.why).toContain(
      'enrolled by hand; renewal in 45 days: the −120, −90 and −60 d steps are past; enters at −30 d',
    );
    const sent = result.timeline.filter((e) => e.kind === 'email' || e.kind === 'task');
    expect(sent.map((e) => [e.nodeId, DateTime.fromISO(e.at, { zone: 'Europe/Madrid' }).toISODate()])).toEqual([
      ['reminder30', daysBefore(30)],
      ['reminder7', daysBefore(7)],
      ['escalate', RENEWAL],
    ]);
  });
});

describe('a renewal date set late enrolls the account (catch-up trigger)', () => {
  const playbook = cadence();
  const published = [
    {
      key: playbook.key,
      version: 1,
      name: playbook.name,
      triggers: playbook.triggers,
      enrollment: playbook.enrollment,
    },
  ];
  const setDate = (today: string | undefined, renewalDate = RENEWAL) =>
    matchTriggers(
      published,
      { kind: 'fields', changed: { renewalDate: { from: null, to: renewalDate } }, ...(today && { today }) },
      { renewalDate },
    );

  it('matches when the −120 d day is past and the renewal is not, with the reason', () => {
    expect(setDate(daysBefore(45))).toEqual([
      {
        playbookKey: 'renewal-cadence',
        reason: 'renewalDate set to 2027-06-30: 120 days before (2027-03-02) is already past, enrolling late',
      },
    ]);
  });

  it('on the −120 d day itself it matches too (the day’s sweep may have run before the date was set)', () => {
    expect(setDate(daysBefore(120))).toEqual([
      {
        playbookKey: 'renewal-cadence',
        reason: 'renewalDate set to 2027-06-30: 120 days before (2027-03-02) is today',
      },
    ]);
  });

  it('does not match before the −120 d day (the daily sweep enrolls on it), after the renewal, or from an older workflow', () => {
    expect(setDate(daysBefore(150))).toEqual([]);
    expect(setDate(daysBefore(121))).toEqual([]);
    expect(setDate('2027-07-01')).toEqual([]);
    expect(setDate(undefined)).toEqual([]);
  });

  it('does not match when the playbook refuses late accounts', () => {
    const refusing = [{ ...published[0]!, enrollment: { mode: 'oneAtATime' as const, catchUp: 'refuse' as const } }];
    expect(
      matchTriggers(
        refusing,
        { kind: 'fields', changed: { renewalDate: { from: null, to: RENEWAL } }, today: daysBefore(45) },
        { renewalDate: RENEWAL },
      ),
    ).toEqual([]);
  });
});
