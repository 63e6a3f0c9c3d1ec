import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PlaybookActivities } from '../../engine/activity-contracts.js';
import type { Effect, RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { PlaybookDefinitionInput } from '../../engine/playbook/schema.js';
import { simulate } from '../../engine/simulator/simulate.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { positionQuery, timelineQuery } from '../../engine/workflows/playbook-signals.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// The run's semantics on Temporal (time-skipping server): an impossible date fails its step — the run takes the
// failure route, or ends saying why — instead of failing the workflow task for ever; such a run can be cancelled;
// and the trigger that enrolled a run decides its branches.

const TASK_QUEUE = 'run-semantics';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const performed: { workflowId: string; effect: Effect; at?: string }[] = [];
const activities: PlaybookActivities = {
  async performEffect({ workflowId, effect, run }) {
    performed.push({ workflowId, effect, at: run?.at });
  },
};

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities,
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

type Node = PlaybookDefinitionInput['nodes'][number];
function compiled(nodes: Node[], edges: [string, string, string?][]): CompiledPlaybook {
  const result = compilePlaybook({
    schemaVersion: 1,
    key: 'renewal-check',
    name: 'Renewal check',
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
  return { ...result.playbook, version: 1 };
}
const start: Node = { id: 'start', type: 'trigger', label: 'Start', config: {} };
const done: Node = { id: 'done', type: 'end', label: 'Done', config: {} };
const untilRenewal: Node = {
  id: 'untilRenewal',
  type: 'wait',
  label: '30 days before renewal',
  config: { kind: 'untilDate', field: 'renewalDate', offsetDays: -30 },
};
const reminder: Node = {
  id: 'reminder',
  type: 'email',
  label: 'Renewal reminder',
  config: { template: 'renewal-reminder-30', recipients: 'primaryContact', sendWindow: 'immediate' },
};
const fixDate: Node = {
  id: 'fixDate',
  type: 'task',
  label: 'Fix the renewal date',
  config: {
    assignee: 'ownerCsm',
    kind: 'review',
    title: 'The renewal date is wrong',
    dueIn: { amount: 1, unit: 'days' },
  },
};
const recheck: Node = {
  id: 'recheck',
  type: 'wait',
  label: 'Check again in 30 days',
  config: { kind: 'duration', amount: 30, unit: 'days' },
};

let runs = 0;
async function startRun(input: RunInput) {
  runs += 1;
  return env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `run-semantics-${runs}`,
    args: [input],
  });
}
const account = (fields: Record<string, unknown>) => ({ id: `acct-${runs + 1}`, timeZone: 'Europe/Madrid', fields });

describe('an impossible date on Temporal', { timeout: 120_000 }, () => {
  it('takes the failure route with the reason on the timeline, and the run can then be cancelled', async () => {
    const playbook = compiled(
      [start, untilRenewal, reminder, fixDate, recheck, done],
      [
        ['start', 'untilRenewal'],
        ['untilRenewal', 'reminder'],
        ['untilRenewal', 'fixDate', 'failed'],
        ['reminder', 'done'],
        ['fixDate', 'recheck'],
        ['recheck', 'done'],
      ],
    );
    const handle = await startRun({ playbook, account: account({ renewalDate: '2026-02-30' }) });
    // The run reaches the step after its failure route and waits there — it does not retry a failing task.
    let position = await handle.query(positionQuery);
    for (let i = 0; i < 50 && position.waiting?.kind !== 'timer'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      position = await handle.query(positionQuery);
    }
    expect(position).toMatchObject({ nodeId: 'recheck', waiting: { kind: 'timer' } });
    const timeline = await handle.query(timelineQuery);
    expect(timeline.map((e) => `${e.nodeId}:${e.kind}`)).toEqual([
      'start:enrolled',
      'untilRenewal:failed',
      'fixDate:task',
      'recheck:wait',
    ]);
    expect(timeline[1]!.why).toBe("the account's renewalDate is 2026-02-30, a date that does not exist");
    expect(performed.filter((p) => p.workflowId === handle.workflowId).map((p) => p.effect.nodeId)).toEqual([
      'fixDate',
    ]);

    await handle.cancel();
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });

  it('without a failure route ends the run there, failed and saying why, with the same story as the preview', async () => {
    const playbook = compiled(
      [start, untilRenewal, reminder, done],
      [
        ['start', 'untilRenewal'],
        ['untilRenewal', 'reminder'],
        ['reminder', 'done'],
      ],
    );
    const input: RunInput = { playbook, account: account({ renewalDate: '2026-02-30' }) };
    const handle = await startRun(input);
    const result: RunResult = await handle.result();
    expect(result.failed).toEqual({
      nodeId: 'untilRenewal',
      reason: "the account's renewalDate is 2026-02-30, a date that does not exist",
    });
    expect(result.timeline.at(-1)).toMatchObject({ kind: 'end', summary: 'Run ended: a step failed' });
    expect(performed.some((p) => p.workflowId === handle.workflowId)).toBe(false);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    const simulated = await simulate({ ...input, startAt: result.timeline[0]!.at });
    expect(result.timeline).toEqual(simulated.timeline);
  });

  it('a missing date field fails the step too, instead of passing silently', async () => {
    const playbook = compiled(
      [start, untilRenewal, reminder, done],
      [
        ['start', 'untilRenewal'],
        ['untilRenewal', 'reminder'],
        ['reminder', 'done'],
      ],
    );
    const handle = await startRun({ playbook, account: account({}) });
    const result = await handle.result();
    expect(result.failed?.reason).toBe('the account has no renewalDate, so there is no date to wait for');
    expect(performed.some((p) => p.workflowId === handle.workflowId)).toBe(false);
  });
});

describe('the trigger that enrolled the run, on Temporal', { timeout: 120_000 }, () => {
  it('branches on trigger.data.score and hands the trigger to the email for {{ trigger.* }}', async () => {
    const playbook = compiled(
      [
        start,
        {
          id: 'score',
          type: 'branch',
          label: 'Score?',
          config: { conditions: [{ handle: 'detractor', when: { field: 'trigger.data.score', op: 'lte', value: 6 } }] },
        },
        { ...reminder, id: 'sorry', label: 'Sorry', config: { ...reminder.config, template: 'nps-detractor' } } as Node,
        done,
      ],
      [
        ['start', 'score'],
        ['score', 'sorry', 'detractor'],
        ['score', 'done', 'else'],
        ['sorry', 'done'],
      ],
    );
    const trigger = { type: 'event' as const, event: 'nps.answered', data: { score: 4 } };
    const handle = await startRun({ playbook, account: account({}), trigger });
    const result = await handle.result();
    expect(result.timeline.find((e) => e.nodeId === 'score')!.summary).toBe('Score?: detractor');
    expect(performed.find((p) => p.workflowId === handle.workflowId)!.effect).toMatchObject({
      kind: 'email',
      template: 'nps-detractor',
      trigger,
    });
  });
});

describe('the run after an outage, on Temporal', { timeout: 180_000 }, () => {
  it('re-anchors its clock: the wait after a late step is measured from when it really happened', async () => {
    // Three emails a minute apart. SMTP is down when the first goes out: its activity fails four times (5 + 10 +
    // 20 + 40 s of retry backoff) and succeeds at the fifth. The second email then goes a minute after the first
    // really went — not at once, as when the plan's instants were kept.
    const gap = (id: string): Node => ({
      id,
      type: 'wait',
      label: 'Wait 1 minute',
      config: { kind: 'duration', amount: 1, unit: 'minutes' },
    });
    const mail = (id: string): Node => ({ ...reminder, id, label: id }) as Node;
    const playbook = compiled(
      [start, mail('one'), gap('gap1'), mail('two'), gap('gap2'), mail('three'), done],
      [
        ['start', 'one'],
        ['one', 'gap1'],
        ['gap1', 'two'],
        ['two', 'gap2'],
        ['gap2', 'three'],
        ['three', 'done'],
      ],
    );
    const queue = 'run-semantics-outage';
    const sent: { nodeId: string; at: string; real: number }[] = [];
    let failures = 0;
    const outage = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: queue,
      workflowBundle: workflowBundle(),
      activities: {
        async performEffect({ effect, run }) {
          if (effect.nodeId === 'one' && failures < 4) {
            failures += 1;
            throw new Error('421 service not available');
          }
          sent.push({ nodeId: effect.nodeId, at: run!.at, real: await env.currentTimeMs() });
        },
      } satisfies PlaybookActivities,
    });
    runs += 1;
    const result = await outage.runUntil(
      env.client.workflow.execute<typeof playbookRunWorkflow>('playbookRunWorkflow', {
        taskQueue: queue,
        workflowId: `run-semantics-${runs}`,
        args: [{ playbook, account: account({}) }],
      }),
    );
    expect(sent.map((s) => s.nodeId)).toEqual(['one', 'two', 'three']);
    const [one, two, three] = sent.map((s) => Date.parse(s.at)) as [number, number, number];
    const oneReallyWent = sent[0]!.real;
    expect(oneReallyWent - one).toBeGreaterThanOrEqual(75_000);
    // Planned from the real end of the first email: a minute later, and the third a minute after that.
    expect(two - oneReallyWent).toBeGreaterThan(59_000);
    expect(two - oneReallyWent).toBeLessThan(65_000);
    expect(three - two).toBe(60_000);
    expect(sent[2]!.real - sent[1]!.real).toBeGreaterThan(59_000);
    expect(result.timeline.find((e) => e.nodeId === 'two' && e.kind === 'email')!.at).toBe(
      new Date(two).toISOString().replace('.000Z', 'Z'),
    );
  });
});
