import { describe, expect, it } from 'vitest';
import { explainExit, explainPolicy, explainTrigger } from '../../engine/triggers/explain.js';
import { matchTriggers, type PublishedPlaybook } from '../../engine/triggers/match.js';

// "Why (not) enrolled", evaluated now: the sentences a CS person reads, from the same rules the decisions use.

describe('a risk-level reason', () => {
  it('carries the score and the scorecard version that moved the level', () => {
    const rescue: PublishedPlaybook = {
      key: 'rescue-high',
      version: 1,
      name: 'Rescue high',
      triggers: [{ type: 'riskLevelEntered', level: 'high' }],
      enrollment: { mode: 'oneAtATime' },
    };
    const happening = { kind: 'riskLevel', from: 'medium', to: 'high', score: 80, scorecardVersion: 3 } as const;
    expect(matchTriggers([rescue], happening, {})[0]!.reason).toBe(
      'risk level entered high (was medium): risk score 80 under scorecard version 3',
    );
  });
});

describe('triggers now', () => {
  it('says whether the account is at the level a risk trigger enrolls on', () => {
    const trigger = { type: 'riskLevelEntered', level: 'medium' } as const;
    expect(explainTrigger(trigger, { riskLevel: 'medium', riskScore: 50 }, '2026-11-23')).toEqual({
      holdsNow: true,
      why: 'Enrolls on entering risk level medium; the account is at medium (risk score 50) now.',
    });
    expect(explainTrigger(trigger, { riskLevel: 'low', riskScore: 49 }, '2026-11-23').holdsNow).toBe(false);
    expect(explainTrigger(trigger, {}, '2026-11-23').why).toContain('has not been scored yet');
  });

  it('gives the day a date-relative trigger fires, past, today or to come', () => {
    const trigger = { type: 'dateRelative', field: 'renewalDate', offsetDays: -120 } as const;
    const fields = { renewalDate: '2027-03-31' };
    expect(explainTrigger(trigger, fields, '2026-12-01')).toEqual({
      holdsNow: true,
      why: 'Enrolls 120 days before renewalDate (2027-03-31): today.',
    });
    expect(explainTrigger(trigger, fields, '2026-11-23').why).toBe(
      'Enrolls 120 days before renewalDate (2027-03-31): on 2026-12-01.',
    );
    expect(explainTrigger(trigger, fields, '2026-12-02').why).toContain('already past');
    expect(explainTrigger(trigger, {}, '2026-12-02')).toMatchObject({ holdsNow: false });
  });

  it('cannot say an event trigger holds now, but says when the event last came', () => {
    const trigger = { type: 'event', event: 'trial.converted' } as const;
    expect(explainTrigger(trigger, {}, '2026-11-23', '2026-11-20T10:00:00.000Z')).toEqual({
      holdsNow: null,
      why: 'Enrolls when event trial.converted arrives; the account last had it at 2026-11-20T10:00:00.000Z.',
    });
  });
});

describe('the enrollment policy now', () => {
  const run = (status: string, startedAt: string) => ({ workflowId: 'w', status, startedAt });
  const now = '2026-11-23T12:00:00.000Z';

  it('refuses "once" after any run, and "one at a time" only while one is going', () => {
    expect(explainPolicy({ mode: 'once' }, [run('completed', '2026-01-01T00:00:00.000Z')], now, 'UTC').holdsNow).toBe(
      false,
    );
    expect(explainPolicy({ mode: 'once' }, [], now, 'UTC').holdsNow).toBe(true);
    expect(explainPolicy({ mode: 'oneAtATime' }, [run('waiting-timer', now)], now, 'UTC').holdsNow).toBe(false);
    expect(explainPolicy({ mode: 'oneAtATime' }, [run('exited', now)], now, 'UTC').holdsNow).toBe(true);
  });

  it('says until when a cooldown refuses', () => {
    const policy = { mode: 'everyTime', cooldown: { amount: 7, unit: 'days' } } as const;
    const cooling = explainPolicy(policy, [run('completed', '2026-11-20T12:00:00.000Z')], now, 'UTC');
    expect(cooling).toMatchObject({ holdsNow: false, until: '2026-11-27T12:00:00.000Z' });
    expect(cooling.why).toBe(
      'Would refuse: cooling down until 2026-11-27T12:00:00.000Z (cooldown 7 days after the run started 2026-11-20T12:00:00.000Z).',
    );
    expect(explainPolicy(policy, [run('completed', '2026-11-01T12:00:00.000Z')], now, 'UTC').holdsNow).toBe(true);
  });
});

describe('exit criteria now', () => {
  it('says which condition would end a run, at the exact floor', () => {
    const exit = {
      kind: 'condition',
      label: 'Risk back below 80',
      when: { field: 'account.riskScore', op: 'lt', value: 80 },
    } as const;
    expect(explainExit(exit, { riskScore: 79 })).toMatchObject({ holdsNow: true });
    expect(explainExit(exit, { riskScore: 80 })).toMatchObject({ holdsNow: false });
  });
});
