import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PlaybookActivities } from '../../engine/activity-contracts.js';
import type { RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { recordHistory } from '../support/histories.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// The effect hole: when the last attempt of a step's activity dies (a non-retryable failure, its heartbeat or
// start-to-close timeout, as a killed worker leaves it), the step answers `failed` and the run takes the step's
// failure route; the run never fails as a whole.

const TASK_QUEUE = 'effect-failure';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
/** How each webhook "dies", by the URL's path. */
const attempts = new Map<string, number>();

beforeAll(async () => {
  env = await startTimeSkipping();
  const activities: PlaybookActivities = {
    async performEffect({ effect }) {
      if (effect.kind !== 'webhook') return;
      const path = new URL(effect.url).pathname;
      attempts.set(path, (attempts.get(path) ?? 0) + 1);
      if (path === '/refused') {
        throw ApplicationFailure.nonRetryable('the CRM refused the request for good', 'Refused');
      }
      if (path === '/hangs') {
        // Temporary failures until the last attempt, whose worker then stops answering: no heartbeat, no result,
        // until Temporal gives the attempt up at its heartbeat timeout (seconds, not the start-to-close minutes).
        if (Context.current().info.attempt < 20) throw new Error('503 from the CRM');
        await new Promise((resolve) => Context.current().cancellationSignal.addEventListener('abort', resolve));
        throw new Error('abandoned');
      }
      return { status: 'done', detail: `POST ${effect.url} answered 200 OK` };
    },
  };
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

function webhookPlaybook(path: string) {
  const result = compilePlaybook({
    schemaVersion: 1,
    key: `crm${path.replace('/', '-')}`,
    name: 'Tell the CRM',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      {
        id: 'crm',
        type: 'webhook',
        label: 'Tell the CRM',
        config: { url: `https://crm.example${path}`, method: 'POST', body: {} },
      },
      { id: 'done', type: 'end', label: 'Done', config: {} },
      { id: 'by-hand', type: 'end', label: 'Tell the CRM by hand', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'crm' },
      { id: 'e2', source: 'crm', target: 'done' },
      { id: 'e3', source: 'crm', sourceHandle: 'failed', target: 'by-hand' },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

async function run(path: string) {
  const input: RunInput = {
    playbook: webhookPlaybook(path),
    account: { id: 'inline-1', timeZone: 'Europe/Madrid', fields: {} } as RunInput['account'],
  };
  const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `effect-failure${path.replace('/', '-')}`,
    args: [input],
  });
  const result: RunResult = await handle.result();
  return { result, step: result.timeline.find((e) => e.nodeId === 'crm')!, handle };
}

describe("an effect whose last attempt dies takes the step's failure route", () => {
  it('a non-retryable failure: one attempt, the step failed with the reason, the run goes on by "failed"', async () => {
    const { result, step, handle } = await run('/refused');
    expect(attempts.get('/refused')).toBe(1);
    expect(result.endNodeId).toBe('by-hand');
    expect(step.summary).toMatch(/: failed$/);
    expect(step.why).toContain('the CRM refused the request for good');
    await recordHistory('effect-failure-route', handle);
  });

  it("the last attempt's worker stops heartbeating: the failure route, within the heartbeat timeout", async () => {
    const { result, step } = await run('/hangs');
    expect(attempts.get('/hangs')).toBe(20);
    expect(result.endNodeId).toBe('by-hand');
    expect(step.why).toBe("the step's last attempt did not finish: its worker stopped answering (no heartbeat)");
  });
});
