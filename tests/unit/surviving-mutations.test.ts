import { describe, expect, it } from 'vitest';
import { matchExit } from '../../engine/interpreter/exit.js';
import { splitBucket } from '../../engine/interpreter/split-bucket.js';
import type { RunInput } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { PlaybookDefinitionInput } from '../../engine/playbook/schema.js';
import { simulate } from '../../engine/simulator/simulate.js';

// Mutations that once survived the whole suite, each pinned by a test that fails on the mutant:
// - the split boundary `bucket < floor` written `<=` (engine/interpreter/run-playbook.ts): an account on a
//   variant's upper bucket lands in the wrong variant, and a 0 % variant receives bucket 0;
// - an event exit criterion's filter ignored (engine/interpreter/exit.ts): any event of that name ends the run.
// (The third, the workflow's `at >= since` event guard, is in tests/workflow/event-wait-guard.test.ts.)

const enrolled = '2026-03-02T09:00:00Z';

function compiled(definition: PlaybookDefinitionInput) {
  const result = compilePlaybook(definition);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

/** A split with the given percentages, each variant ending at a step named after it. */
function splitPlaybook(percents: number[]) {
  const handles = percents.map((_, i) => `v${i}`);
  return compiled({
    schemaVersion: 1,
    key: 'split-edge',
    name: 'Split edge',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      {
        id: 'ab',
        type: 'split',
        label: 'A/B',
        config: { variants: percents.map((percent, i) => ({ handle: handles[i]!, percent })) },
      },
      ...handles.map((h) => ({ id: `end-${h}`, type: 'end' as const, label: `End ${h}`, config: {} })),
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'ab' },
      ...handles.map((h) => ({ id: `e-${h}`, source: 'ab', sourceHandle: h, target: `end-${h}` })),
    ],
  });
}

/** The first account id (acct-0, acct-1…) whose bucket at the split step is `bucket`. */
function accountInBucket(bucket: number): string {
  for (let i = 0; i < 100_000; i++) {
    if (splitBucket(`acct-${i}`, 'split-edge', 'ab') === bucket) return `acct-${i}`;
  }
  throw new Error(`no account in bucket ${bucket}`);
}

const account = (id: string): RunInput['account'] => ({ id, timeZone: 'Europe/Madrid', fields: {} });

describe('the split boundary (buckets 0–99, a variant of p % takes p buckets)', () => {
  it('50/50: bucket 49 is the first variant, bucket 50 the second', async () => {
    const playbook = splitPlaybook([50, 50]);
    const last = await simulate({ playbook, account: account(accountInBucket(49)), startAt: enrolled });
    const first = await simulate({ playbook, account: account(accountInBucket(50)), startAt: enrolled });
    expect(last.endNodeId).toBe('end-v0');
    expect(first.endNodeId).toBe('end-v1');
    expect(first.timeline.find((e) => e.nodeId === 'ab')!.why).toBe('bucket 50 of 100 for this account');
  });

  it('a 0 % variant receives nobody, not even bucket 0', async () => {
    const playbook = splitPlaybook([0, 100]);
    const result = await simulate({ playbook, account: account(accountInBucket(0)), startAt: enrolled });
    expect(result.endNodeId).toBe('end-v1');
  });
});

describe("an event exit criterion's filter", () => {
  const criteria = [
    {
      kind: 'event' as const,
      label: 'Upgraded to pro',
      event: 'plan.changed',
      filter: { field: 'event.plan', op: 'eq' as const, value: 'pro' },
    },
  ];

  it('an event of that name that does not match the filter does not end the run; one that matches does', () => {
    expect(
      matchExit(criteria, { event: { name: 'plan.changed', data: { plan: 'free' } }, fields: {} }),
    ).toBeUndefined();
    expect(matchExit(criteria, { event: { name: 'plan.changed', data: { plan: 'pro' } }, fields: {} })).toMatchObject({
      label: 'Upgraded to pro',
    });
  });

  it('in a run: a downgrade waits on, the upgrade exits', async () => {
    const playbook = compiled({
      schemaVersion: 1,
      key: 'upgrade-exit',
      name: 'Upgrade exit',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      exit: criteria,
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        { id: 'wait', type: 'wait', label: 'Wait 10 days', config: { kind: 'duration', amount: 10, unit: 'days' } },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', target: 'done' },
      ],
    });
    const downgrade = await simulate({
      playbook,
      account: account('acct-down'),
      startAt: enrolled,
      events: [{ event: 'plan.changed', afterHours: 24, data: { plan: 'free' } }],
    });
    expect(downgrade.exited).toBeUndefined();
    expect(downgrade.endNodeId).toBe('done');
    const upgrade = await simulate({
      playbook,
      account: account('acct-up'),
      startAt: enrolled,
      events: [{ event: 'plan.changed', afterHours: 24, data: { plan: 'pro' } }],
    });
    expect(upgrade.exited).toMatchObject({ label: 'Upgraded to pro' });
  });
});
