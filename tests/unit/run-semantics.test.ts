import { describe, expect, it } from 'vitest';
import { runPlaybook } from '../../engine/interpreter/run-playbook.js';
import type { Driver, Effect, RunTrigger } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { PlaybookDefinitionInput } from '../../engine/playbook/schema.js';
import { simulationInputProblems } from '../../engine/simulator/input-problems.js';
import { simulate } from '../../engine/simulator/simulate.js';

// The run's semantics the interpreter owns: bad data fails a step (never the run's code), the trigger is part of
// the run's context, anchored waits do not drift, the clock re-anchors after an outage, a step starts a playbook.

type Node = PlaybookDefinitionInput['nodes'][number];
function playbook(nodes: Node[], edges: [string, string, string?][], key = 'semantics'): CompiledPlaybook {
  const result = compilePlaybook({
    schemaVersion: 1,
    key,
    name: 'Semantics',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes,
    edges: edges.map(([source, target, sourceHandle], i) => ({
      id: `e${i}`,
      source,
      target,
      ...(sourceHandle && { sourceHandle }),
    })),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.playbook;
}
const start: Node = { id: 'start', type: 'trigger', label: 'Start', config: {} };
const done: Node = { id: 'done', type: 'end', label: 'Done', config: {} };
const email = (id: string, template: string, sendWindow: 'default' | 'immediate' = 'immediate'): Node => ({
  id,
  type: 'email',
  label: id,
  config: { template, recipients: 'primaryContact', sendWindow },
});
const task = (id: string, title: string): Node => ({
  id,
  type: 'task',
  label: id,
  config: { assignee: 'ownerCsm', kind: 'call', title, dueIn: { amount: 1, unit: 'days' } },
});
const brief = (timeline: { day: number; nodeId: string; kind: string }[]) =>
  timeline.map((e) => `${e.day}:${e.nodeId}:${e.kind}`);
const madrid = (fields: Record<string, unknown>) => ({ id: 'acct-1', timeZone: 'Europe/Madrid', fields });
// Monday 7 Dec 2026, 10:00 in Madrid.
const MONDAY = '2026-12-07T09:00:00Z';

describe('bad data never stalls a run', () => {
  const untilRenewal: Node = {
    id: 'untilRenewal',
    type: 'wait',
    label: '30 days before renewal',
    config: { kind: 'untilDate', field: 'renewalDate', offsetDays: -30 },
  };
  const reminder = email('reminder', 'renewal-reminder-30');
  const fix = task('fixDate', 'The renewal date is wrong: fix it');
  const withRoute = playbook(
    [start, untilRenewal, reminder, fix, done],
    [
      ['start', 'untilRenewal'],
      ['untilRenewal', 'reminder'],
      ['untilRenewal', 'fixDate', 'failed'],
      ['reminder', 'done'],
      ['fixDate', 'done'],
    ],
  );
  const withoutRoute = playbook(
    [start, untilRenewal, reminder, done],
    [
      ['start', 'untilRenewal'],
      ['untilRenewal', 'reminder'],
      ['reminder', 'done'],
    ],
  );

  it('an impossible date takes the wait’s failure route, with the reason on the timeline', async () => {
    const result = await simulate({
      playbook: withRoute,
      account: madrid({ renewalDate: '2026-02-30' }),
      startAt: MONDAY,
    });
    expect(brief(result.timeline)).toEqual([
      '0:start:enrolled',
      '0:untilRenewal:failed',
      '0:fixDate:task',
      '0:done:end',
    ]);
    expect(result.timeline[1]).toMatchObject({
      summary: '30 days before renewal: failed',
      why: "the account's renewalDate is 2026-02-30, a date that does not exist",
    });
    expect(result.failed).toBeUndefined();
  });

  it('without a failure route the run ends there, failed, saying why — no email goes out', async () => {
    const result = await simulate({
      playbook: withoutRoute,
      account: madrid({ renewalDate: '2026-02-30' }),
      startAt: MONDAY,
    });
    expect(brief(result.timeline)).toEqual(['0:start:enrolled', '0:untilRenewal:failed', '0:untilRenewal:end']);
    expect(result.timeline.at(-1)!.summary).toBe('Run ended: a step failed');
    expect(result.failed).toEqual({
      nodeId: 'untilRenewal',
      reason: "the account's renewalDate is 2026-02-30, a date that does not exist",
    });
  });

  it('untilDate on a missing field or a value of the wrong type fails instead of passing silently', async () => {
    for (const [fields, reason] of [
      [{}, 'the account has no renewalDate, so there is no date to wait for'],
      [{ renewalDate: 20270101 }, "the account's renewalDate is 20270101, which is not a date (YYYY-MM-DD)"],
    ] as const) {
      const result = await simulate({ playbook: withoutRoute, account: madrid(fields), startAt: MONDAY });
      expect(result.failed).toEqual({ nodeId: 'untilRenewal', reason });
      expect(result.timeline.some((e) => e.nodeId === 'reminder')).toBe(false);
    }
  });

  it('a run replayed from before the change still passes a missing field, as it did when it was recorded', async () => {
    const driver: Driver = {
      now: () => Date.parse(MONDAY),
      sleepUntil: async () => undefined,
      perform: async () => undefined,
      awaitEvent: async () => undefined,
      awaitApproval: async (r) => ({ outcome: 'timeout', at: r.until }),
      patched: (id) => id !== 'stayflow-missing-field-fails',
    };
    const result = await runPlaybook({ playbook: withoutRoute, account: madrid({}) }, driver);
    expect(brief(result.timeline)).toEqual([
      '0:start:enrolled',
      '0:untilRenewal:wait',
      '0:reminder:email',
      '0:done:end',
    ]);
    expect(result.timeline[1]!.why).toBe('the account has no renewalDate: not waiting');
  });

  it('the preview names every impossible date in the request, so the API can answer 422', () => {
    expect(
      simulationInputProblems({
        startAt: '2026-02-30T09:00:00Z',
        account: { fields: { renewalDate: '2026-02-30', startDate: '2026-01-31', note: '2026-99 plan' } },
        changes: [{ fields: { renewalDate: '2027-13-01' } }],
      }),
    ).toEqual([
      'startAt: "2026-02-30T09:00:00Z" is not a date that exists (you specified 30 (of type number) as a day, which is invalid)',
      'account.fields.renewalDate: "2026-02-30" is not a date that exists (you specified 30 (of type number) as a day, which is invalid)',
      'changes[0].fields.renewalDate: "2027-13-01" is not a date that exists (you specified 13 (of type number) as a month, which is invalid)',
    ]);
  });
});

describe('the trigger is part of the run’s context', () => {
  const byScore = playbook(
    [
      start,
      {
        id: 'score',
        type: 'branch',
        label: 'Score?',
        config: {
          conditions: [
            { handle: 'promoter', when: { field: 'trigger.data.score', op: 'gte', value: 9 } },
            { handle: 'passive', when: { field: 'trigger.data.score', op: 'gte', value: 7 } },
          ],
        },
      },
      email('thanks', 'nps-promoter'),
      email('value', 'nps-passive'),
      email('help', 'nps-detractor'),
      done,
    ],
    [
      ['start', 'score'],
      ['score', 'thanks', 'promoter'],
      ['score', 'value', 'passive'],
      ['score', 'help', 'else'],
      ['thanks', 'done'],
      ['value', 'done'],
      ['help', 'done'],
    ],
  );
  const answered = (score: number): RunTrigger => ({ type: 'event', event: 'nps.answered', data: { score } });

  it('conditions read trigger.data.*: each score takes its branch', async () => {
    const taken = async (score: number) => {
      const { timeline } = await simulate({
        playbook: byScore,
        account: madrid({}),
        startAt: MONDAY,
        trigger: answered(score),
      });
      return timeline.find((e) => e.kind === 'email')!.nodeId;
    };
    expect(await Promise.all([10, 9, 8, 7, 6, 0].map(taken))).toEqual([
      'thanks',
      'thanks',
      'value',
      'value',
      'help',
      'help',
    ]);
  });

  it('the email effect carries the trigger, for {{ trigger.* }} in templates', async () => {
    const effects: Effect[] = [];
    const driver: Driver = {
      now: () => Date.parse(MONDAY),
      sleepUntil: async () => undefined,
      perform: async (effect) => void effects.push(effect),
      awaitEvent: async () => undefined,
      awaitApproval: async (r) => ({ outcome: 'timeout', at: r.until }),
    };
    await runPlaybook({ playbook: byScore, account: madrid({}), trigger: answered(3) }, driver);
    expect(effects).toMatchObject([{ kind: 'email', template: 'nps-detractor', trigger: answered(3) }]);
  });

  it('a run without a trigger (manual, or started before it was carried) matches no trigger condition', async () => {
    const { timeline } = await simulate({ playbook: byScore, account: madrid({}), startAt: MONDAY });
    expect(timeline.find((e) => e.kind === 'branch')!.summary).toBe('Score?: else');
  });
});

describe('a wait anchored to the enrollment day', () => {
  // Enrolled on Friday 11 Dec 2026 at 17:30 Madrid. The first email waits for Monday's window; the anchored day-4
  // wait still ends on Tuesday 15 Dec 10:00 — day 4 of the journey, not 4 days after the moved email.
  const FRIDAY = '2026-12-11T16:30:00Z';
  const journey = playbook(
    [
      start,
      { id: 'wait1', type: 'wait', label: 'Wait 1 hour', config: { kind: 'duration', amount: 1, unit: 'hours' } },
      email('first', 'welcome', 'default'),
      { id: 'day4', type: 'wait', label: 'Day 4, 10:00', config: { kind: 'anchored', day: 4, time: '10:00' } },
      email('second', 'day4', 'default'),
      { id: 'day1', type: 'wait', label: 'Day 1, 10:00', config: { kind: 'anchored', day: 1, time: '10:00' } },
      email('third', 'day5', 'immediate'),
      done,
    ],
    [
      ['start', 'wait1'],
      ['wait1', 'first'],
      ['first', 'day4'],
      ['day4', 'second'],
      ['second', 'day1'],
      ['day1', 'third'],
      ['third', 'done'],
    ],
  );

  it('ends on day N at HH:mm account time however far a send window pushed the steps before it', async () => {
    const { timeline } = await simulate({ playbook: journey, account: madrid({}), startAt: FRIDAY });
    const at = (id: string, kind = 'email') => timeline.find((e) => e.nodeId === id && e.kind === kind)!;
    expect(at('first').at).toBe('2026-12-14T08:00:00Z'); // Monday 09:00 Madrid
    expect(at('day4', 'wait')).toMatchObject({
      summary: 'Day 4, 10:00: until 2026-12-15T09:00:00Z',
      why: 'day 4 after enrollment (2026-12-11) at 10:00 (Europe/Madrid)',
    });
    expect(at('second')).toMatchObject({ at: '2026-12-15T09:00:00Z', day: 3 });
    // An anchored day already past (day 1) does not wait, and says so.
    expect(at('day1', 'wait').why).toContain('already past: continuing now');
    expect(at('third').at).toBe('2026-12-15T09:00:00Z');
  });

  it('is refused by the schema before day 0', () => {
    const result = compilePlaybook({
      schemaVersion: 1,
      key: 'bad-anchor',
      name: 'Bad',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      nodes: [start, { id: 'w', type: 'wait', label: 'W', config: { kind: 'anchored', day: -1, time: '10:00' } }, done],
      edges: [
        { id: 'a', source: 'start', target: 'w' },
        { id: 'b', source: 'w', target: 'done' },
      ],
    });
    expect(result.ok).toBe(false);
  });
});

describe('the logical clock after an outage', () => {
  // Three emails one minute apart. The worker is down for an hour after the first: the first wait's timer fires
  // an hour late. The next wait is measured from when the step really happened, so the gap holds.
  const burst = playbook(
    [
      start,
      email('one', 'welcome'),
      { id: 'gap1', type: 'wait', label: 'Wait 1 minute', config: { kind: 'duration', amount: 1, unit: 'minutes' } },
      email('two', 'day4'),
      { id: 'gap2', type: 'wait', label: 'Wait 1 minute', config: { kind: 'duration', amount: 1, unit: 'minutes' } },
      email('three', 'day5'),
      done,
    ],
    [
      ['start', 'one'],
      ['one', 'gap1'],
      ['gap1', 'two'],
      ['two', 'gap2'],
      ['gap2', 'three'],
      ['three', 'done'],
    ],
  );
  /** A driver whose first timer fires `lateMs` after it was due, as after an outage; it records when it sends. */
  function lateDriver(lateMs: number, patches = true) {
    let real = Date.parse(MONDAY);
    let late = lateMs;
    const sent: { template: string; at: string; real: number }[] = [];
    const driver: Driver = {
      now: () => real,
      async sleepUntil(at) {
        real = Math.max(real, at) + late;
        late = 0;
      },
      async perform(effect, when) {
        if (effect.kind === 'email') sent.push({ template: effect.template, at: when.at, real });
      },
      awaitEvent: async () => undefined,
      awaitApproval: async (r) => ({ outcome: 'timeout', at: r.until }),
      patched: (id) => patches || id !== 'stayflow-clock-reanchor',
    };
    return { driver, sent };
  }

  it('re-anchors to real time: the next wait counts from when the late step really happened', async () => {
    const { driver, sent } = lateDriver(3_600_000);
    const result = await runPlaybook({ playbook: burst, account: madrid({}) }, driver);
    const gaps = sent.slice(1).map((s, i) => (s.real - sent[i]!.real) / 1000);
    expect(gaps).toEqual([3_660, 60]);
    // The step is stamped when it really happened, so "day N" and the outbox's planned instant tell the truth.
    expect(sent.map((s) => s.at)).toEqual(['2026-12-07T09:00:00Z', '2026-12-07T10:01:00Z', '2026-12-07T10:02:00Z']);
    expect(result.timeline.find((e) => e.nodeId === 'two')!.at).toBe('2026-12-07T10:01:00Z');
  });

  it('keeps the plan for a timer a few seconds late (a busy worker), and for runs replayed from before', async () => {
    const busy = lateDriver(5_000);
    await runPlaybook({ playbook: burst, account: madrid({}) }, busy.driver);
    expect(busy.sent.map((s) => s.at)).toEqual([
      '2026-12-07T09:00:00Z',
      '2026-12-07T09:01:00Z',
      '2026-12-07T09:02:00Z',
    ]);
    const old = lateDriver(3_600_000, false);
    await runPlaybook({ playbook: burst, account: madrid({}) }, old.driver);
    // Before the patch the overdue waits collapsed: the second and third emails went out back to back.
    expect(old.sent.map((s) => s.real - Date.parse(MONDAY))).toEqual([0, 3_660_000, 3_660_000]);
  });

  it('checks the send window at the real time of sending: a window missed during the outage is waited for again', async () => {
    // Friday 11 Dec 17:58 Madrid: the email fits Friday's window, but the worker only comes back Saturday night.
    const windowed = playbook(
      [
        start,
        { id: 'gap', type: 'wait', label: 'Wait 1 minute', config: { kind: 'duration', amount: 1, unit: 'minutes' } },
        email('offer', 'offer', 'default'),
        done,
      ],
      [
        ['start', 'gap'],
        ['gap', 'offer'],
        ['offer', 'done'],
      ],
    );
    let real = Date.parse('2026-12-11T16:58:00Z');
    const sent: number[] = [];
    const driver: Driver = {
      now: () => real,
      async sleepUntil(at) {
        // The first timer fires on Saturday at 22:00 Madrid; later ones on time.
        real = sent.length === 0 && real < Date.parse('2026-12-12T00:00:00Z') ? Date.parse('2026-12-12T21:00:00Z') : at;
      },
      async perform(effect) {
        if (effect.kind === 'email') sent.push(real);
      },
      awaitEvent: async () => undefined,
      awaitApproval: async (r) => ({ outcome: 'timeout', at: r.until }),
    };
    const { timeline } = await runPlaybook({ playbook: windowed, account: madrid({}) }, driver);
    expect(new Date(sent[0]!).toISOString()).toBe('2026-12-14T08:00:00.000Z'); // Monday 09:00 Madrid, not Saturday
    expect(timeline.find((e) => e.nodeId === 'offer')!.why).toContain('outside the send window');
  });
});

describe('a step that starts another playbook', () => {
  const detractor = playbook(
    [
      start,
      { id: 'rescue', type: 'startPlaybook', label: 'Start the rescue', config: { playbook: 'rescue-high' } },
      done,
    ],
    [
      ['start', 'rescue'],
      ['rescue', 'done'],
    ],
  );

  it('the preview says what it would start', async () => {
    const { timeline } = await simulate({ playbook: detractor, account: madrid({}), startAt: MONDAY });
    expect(timeline[1]).toMatchObject({
      kind: 'startPlaybook',
      summary: 'Start playbook rescue-high',
      why: 'would start playbook rescue-high, if its enrollment policy lets the account in',
    });
  });

  it('a refusal (already enrolled) is recorded as skipped with the reason, and the run goes on', async () => {
    const driver: Driver = {
      now: () => Date.parse(MONDAY),
      sleepUntil: async () => undefined,
      perform: async (effect) =>
        effect.kind === 'startPlaybook'
          ? { status: 'skipped', detail: "Account acct-1 is already enrolled in 'rescue-high'" }
          : undefined,
      awaitEvent: async () => undefined,
      awaitApproval: async (r) => ({ outcome: 'timeout', at: r.until }),
    };
    const result = await runPlaybook({ playbook: detractor, account: madrid({}) }, driver);
    expect(brief(result.timeline)).toEqual(['0:start:enrolled', '0:rescue:startPlaybook', '0:done:end']);
    expect(result.timeline[1]).toMatchObject({
      summary: 'Start playbook rescue-high: skipped',
      why: "Account acct-1 is already enrolled in 'rescue-high'",
    });
    expect(result.failed).toBeUndefined();
  });
});
