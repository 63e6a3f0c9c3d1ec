import { describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import { Condition } from '../../engine/playbook/conditions.js';
import { daysFromToday, evaluateCondition, type ConditionScope } from '../../engine/playbook/evaluate-condition.js';
import { simulate } from '../../engine/simulator/simulate.js';

// Tenure and countdowns in conditions: "startDate more than 365 days ago", "renewalDate within 30 days". The days
// are counted on the account's local calendar at the instant the condition is decided — the run's logical clock.

const at = (iso: string) => Date.parse(iso);
const madrid = (account: Record<string, unknown>, now: string): ConditionScope => ({
  account,
  now: at(now),
  timeZone: 'Europe/Madrid',
});
const holds = (condition: unknown, scope: ConditionScope) => evaluateCondition(Condition.parse(condition), scope);

describe('days since and until a date field', () => {
  it('counts whole local days: tenure of a year, and a renewal within 30 days', () => {
    const scope = madrid({ startDate: '2025-12-01', renewalDate: '2026-12-31' }, '2026-12-01T10:00:00Z');
    expect(holds({ field: 'account.startDate', measure: 'daysSince', op: 'eq', value: 365 }, scope)).toBe(true);
    expect(holds({ field: 'account.startDate', measure: 'daysSince', op: 'gt', value: 365 }, scope)).toBe(false);
    expect(holds({ field: 'account.startDate', measure: 'daysSince', op: 'gte', value: 365 }, scope)).toBe(true);
    expect(holds({ field: 'account.renewalDate', measure: 'daysUntil', op: 'lte', value: 30 }, scope)).toBe(true);
    expect(holds({ field: 'account.renewalDate', measure: 'daysUntil', op: 'lt', value: 30 }, scope)).toBe(false);
    // Without the measure the same field compares as a date, as before.
    expect(holds({ field: 'account.renewalDate', op: 'gt', value: '2026-12-30' }, scope)).toBe(true);
  });

  it('counts in the account time zone: 23:30 UTC is already the next day in Madrid', () => {
    const fields = { startDate: '2026-01-01' };
    const utcEvening = '2026-01-31T23:30:00Z'; // 00:30 on 1 February in Madrid
    expect(
      holds({ field: 'account.startDate', measure: 'daysSince', op: 'eq', value: 31 }, madrid(fields, utcEvening)),
    ).toBe(true);
    const mexico: ConditionScope = { account: fields, now: at(utcEvening), timeZone: 'America/Mexico_City' };
    expect(holds({ field: 'account.startDate', measure: 'daysSince', op: 'eq', value: 30 }, mexico)).toBe(true);
  });

  it('a date already past counts negative days until it; a date ahead negative days since', () => {
    const scope = madrid({ renewalDate: '2026-11-21' }, '2026-12-01T09:00:00Z');
    expect(holds({ field: 'account.renewalDate', measure: 'daysUntil', op: 'eq', value: -10 }, scope)).toBe(true);
    expect(holds({ field: 'account.renewalDate', measure: 'daysSince', op: 'eq', value: 10 }, scope)).toBe(true);
    expect(daysFromToday('2026-12-25', at('2026-12-01T09:00:00Z'), 'Europe/Madrid')).toBe(24);
  });

  it('a missing, impossible or non-date value, or no clock, satisfies no measured comparison', () => {
    const condition = { field: 'account.startDate', measure: 'daysSince', op: 'gte', value: 0 };
    const now = '2026-12-01T09:00:00Z';
    expect(holds(condition, madrid({}, now))).toBe(false);
    expect(holds(condition, madrid({ startDate: '2026-02-30' }, now))).toBe(false);
    expect(holds(condition, madrid({ startDate: 'yesterday' }, now))).toBe(false);
    expect(holds(condition, madrid({ startDate: 20260101 }, now))).toBe(false);
    expect(holds(condition, { account: { startDate: '2026-01-01' } })).toBe(false);
    expect(holds(condition, { account: { startDate: '2026-01-01' }, now: at(now), timeZone: 'Mars/Base' })).toBe(false);
    expect(holds({ not: condition }, madrid({}, now))).toBe(true);
  });

  it('the schema takes a whole number of days and only ordering or equality', () => {
    const parse = (c: unknown) => Condition.safeParse(c);
    expect(parse({ field: 'account.startDate', measure: 'daysSince', op: 'gt', value: 365 }).success).toBe(true);
    const messages = (c: unknown) => {
      const result = parse(c);
      return result.success ? [] : result.error.issues.map((i) => i.message).join(' | ');
    };
    expect(messages({ field: 'account.startDate', measure: 'daysSince', op: 'gt', value: '365' })).toContain(
      'whole number of days',
    );
    expect(messages({ field: 'account.startDate', measure: 'daysSince', op: 'gt', value: 1.5 })).toContain(
      'whole number of days',
    );
    expect(messages({ field: 'account.startDate', measure: 'daysSince', op: 'in', value: [1] })).toContain(
      'does not compare a number of days',
    );
    expect(messages({ field: 'account.startDate', measure: 'weeksSince', op: 'gt', value: 1 })).not.toEqual([]);
  });
});

// A playbook that waits 400 days and then branches on tenure: the branch sees the clock of the plan, not today's.
function tenurePlaybook(where: 'branch' | 'exit', field = 'startDate') {
  const tenure = { field: `account.${field}`, measure: 'daysSince', op: 'gte', value: 365 };
  return {
    schemaVersion: 1,
    key: 'tenure-demo',
    name: 'Tenure demo',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'once' },
    exit: where === 'exit' ? [{ kind: 'condition', label: 'A year in', when: tenure }] : [],
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
      {
        id: 'later',
        type: 'wait',
        label: '400 days',
        position: { x: 0, y: 100 },
        config: { kind: 'duration', amount: 400, unit: 'days' },
      },
      {
        id: 'tier',
        type: 'branch',
        label: 'Tier?',
        position: { x: 0, y: 200 },
        config: { conditions: [{ handle: 'gold', when: tenure }] },
      },
      { id: 'gold', type: 'end', label: 'Gold', position: { x: 0, y: 300 }, config: {} },
      { id: 'bronze', type: 'end', label: 'Bronze', position: { x: 200, y: 300 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'later' },
      { id: 'e2', source: 'later', target: 'tier' },
      { id: 'e3', source: 'tier', sourceHandle: 'gold', target: 'gold' },
      { id: 'e4', source: 'tier', sourceHandle: 'else', target: 'bronze' },
    ],
  };
}

describe('tenure in playbooks', () => {
  it('a branch decides tenure at the run’s logical clock (the simulator, so the Temporal run too)', async () => {
    const compiled = compilePlaybook(tenurePlaybook('branch'), {});
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const run = (startDate: string) =>
      simulate({
        playbook: compiled.playbook,
        account: { id: 'a1', timeZone: 'Europe/Madrid', fields: { startDate } },
        startAt: '2026-01-10T09:00:00Z',
      });
    // Enrolled 10 days into the contract: 400 days later it is 410 days in, Gold.
    expect((await run('2025-12-31')).endNodeId).toBe('gold');
    // Enrolled before the contract starts (start date 60 days ahead): 340 days in at the branch, not yet Gold.
    expect((await run('2026-03-11')).endNodeId).toBe('bronze');
    const entry = (await run('2025-12-31')).timeline.find((e) => e.nodeId === 'tier');
    expect(entry).toMatchObject({ kind: 'branch', summary: 'Tier?: gold', day: 400 });
  });

  it('the compiler refuses a measure outside a branch, and on a field that is not a date', () => {
    const exit = compilePlaybook(tenurePlaybook('exit'), {});
    expect(exit.ok).toBe(false);
    if (!exit.ok)
      expect(exit.issues).toContainEqual(
        expect.objectContaining({ code: 'measure_not_here', path: 'exit[0].when.measure' }),
      );
    const notDate = compilePlaybook(tenurePlaybook('branch', 'mrr'), {});
    expect(notDate.ok).toBe(false);
    if (!notDate.ok)
      expect(notDate.issues).toContainEqual(
        expect.objectContaining({
          code: 'condition_type_mismatch',
          nodeId: 'tier',
          message: expect.stringContaining("account field 'mrr', which is not a date"),
        }),
      );
  });
});
