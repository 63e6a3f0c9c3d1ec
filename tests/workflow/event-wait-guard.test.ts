import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { accountEventSignal } from '../../engine/workflows/playbook-signals.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// A "wait for event" step reacts only to events that arrive while it waits: one that came earlier (during a wait
// before it) is not the answer. Kills the mutant that drops the `at >= since` guard of the workflow's event wait.

const TASK_QUEUE = 'event-wait-guard';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities: {},
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** trigger → wait 2 days → kickoff done? (3 days) → done | late. */
function kickoff() {
  const result = compilePlaybook({
    schemaVersion: 1,
    key: 'kickoff-guard',
    name: 'Kickoff',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'wait2', type: 'wait', label: 'Wait 2 days', config: { kind: 'duration', amount: 2, unit: 'days' } },
      {
        id: 'kickoff',
        type: 'waitForEvent',
        label: 'Kickoff done?',
        config: { event: 'kickoff.done', timeout: { amount: 3, unit: 'days' } },
      },
      { id: 'done', type: 'end', label: 'Done', config: {} },
      { id: 'late', type: 'end', label: 'Late', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait2' },
      { id: 'e2', source: 'wait2', target: 'kickoff' },
      { id: 'e3', source: 'kickoff', sourceHandle: 'received', target: 'done' },
      { id: 'e4', source: 'kickoff', sourceHandle: 'timeout', target: 'late' },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

let runs = 0;
async function start() {
  runs += 1;
  const input: RunInput = { playbook: kickoff(), account: { id: `acct-${runs}`, timeZone: 'UTC', fields: {} } };
  return env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `event-wait-guard-${runs}`,
    args: [input],
  });
}

describe('a wait for an event', () => {
  it('ignores the event that arrived before it began waiting (during the 2-day wait): it times out', async () => {
    const handle = await start();
    await handle.signal(accountEventSignal, { event: 'kickoff.done', data: {} });
    const result: RunResult = await handle.result();
    expect(result.endNodeId).toBe('late');
    expect(result.timeline.map((e) => e.nodeId)).toEqual(['start', 'wait2', 'kickoff', 'late']);
  });

  it('takes the event that arrives while it waits', async () => {
    const handle = await start();
    await env.sleep('54 hours');
    await handle.signal(accountEventSignal, { event: 'kickoff.done', data: {} });
    const result: RunResult = await handle.result();
    expect(result.endNodeId).toBe('done');
  });
});
