import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PlaybookActivities } from '../../engine/activity-contracts.js';
import type { Effect, RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { simulate, type SimulationInput } from '../../engine/simulator/simulate.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import {
  accountEventSignal,
  accountFieldsSignal,
  decideApprovalUpdate,
  positionQuery,
} from '../../engine/workflows/playbook-signals.js';
import { recordHistory } from '../support/histories.js';
import { everyStepType, miniOnboarding } from '../support/sample-playbooks.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// One interpreter, two drivers: the same compiled playbook run by Temporal (time-skipping server) and by the
// simulator must tell the same story, entry for entry.
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const performed: Effect[] = [];
const bouncing = new Set<string>();

beforeAll(async () => {
  env = await startTimeSkipping();
  // The effects' real activities (email, tasks…) belong to other lanes; here the workflow's calls are recorded.
  const activities: PlaybookActivities = {
    async performEffect({ effect }) {
      performed.push(effect);
      // Accounts named "bounce-…" have an address that bounces: the real email activity answers so.
      if (effect.kind === 'email' && effect.nodeId === 'welcome' && bouncing.has(effect.label)) {
        return { status: 'failed', detail: 'ana@acme.example: 550 mailbox unavailable' };
      }
    },
  };
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'two-drivers',
    workflowBundle: workflowBundle(),
    activities,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

function playbook(): CompiledPlaybook {
  const result = compilePlaybook(miniOnboarding);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 3 };
}
const input = (segment: string): RunInput => ({
  playbook: playbook(),
  account: { id: `acct-${segment}`, timeZone: 'America/Mexico_City', fields: { segment } },
});

async function startRun(id: string, runInput: RunInput) {
  return env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: 'two-drivers',
    workflowId: id,
    args: [runInput],
  });
}

async function expectSameAsSimulation(result: RunResult, runInput: RunInput, script: Partial<SimulationInput> = {}) {
  const simulated = await simulate({ ...runInput, startAt: result.timeline[0]!.at, ...script });
  expect(result.timeline).toEqual(simulated.timeline);
  expect(result.endNodeId).toBe(simulated.endNodeId);
}

/** Advances the test server's clock an hour at a time until the run waits for `kind` (bounded: 30 days). */
async function advanceUntilWaiting(handle: Awaited<ReturnType<typeof startRun>>, kind: 'event' | 'approval') {
  for (let hour = 0; hour < 720; hour++) {
    const position = await handle.query(positionQuery);
    if (position.waiting?.kind === kind) return position;
    await env.sleep('1 hour');
  }
  throw new Error(`the run never waited for ${kind}`);
}

describe('playbookRunWorkflow and simulate', () => {
  it('tell the same timeline for a tech-touch account (timers and send window only)', async () => {
    const runInput = input('tech-touch');
    const handle = await startRun('two-drivers-tech', runInput);
    const result = await handle.result();
    expect(result.timeline.map((e) => e.nodeId)).toEqual(['start', 'welcome', 'wait4', 'day4', 'segment', 'done']);
    await expectSameAsSimulation(result, runInput);
    await recordHistory('playbook-run-tech-touch', handle);
  });

  it('tell the same timeline when no event and no decision come (timeouts)', async () => {
    const runInput = input('mid-touch');
    const result = await (await startRun('two-drivers-timeouts', runInput)).result();
    expect(result.timeline.at(-2)!.summary).toBe('Approval timed out: Free training session');
    await expectSameAsSimulation(result, runInput);
  });

  it('tell the same timeline when the first value event arrives while the run waits for it', async () => {
    const runInput = input('high-touch');
    const handle = await startRun('two-drivers-event', runInput);
    await advanceUntilWaiting(handle, 'event');
    await env.sleep('1 day');
    await handle.signal(accountEventSignal, { event: 'first_value', data: { feature: 'reports' } });
    const result = await handle.result();
    const received = result.timeline.find((e) => e.kind === 'event')!;
    expect(received.summary).toBe('first_value received');
    expect(result.timeline.some((e) => e.kind === 'goal')).toBe(true);
    await expectSameAsSimulation(result, runInput, { events: [{ event: 'first_value', at: received.at }] });
    await recordHistory('playbook-run-first-value', handle);
  });

  it('tell the same timeline when a CSM approves, and refuse a decision for a step that is not waiting', async () => {
    const runInput = input('mid-touch');
    const handle = await startRun('two-drivers-approval', runInput);
    const early = await handle
      .executeUpdate(decideApprovalUpdate, {
        args: [{ nodeId: 'offer', decision: 'approved', decidedBy: 'csm@acme.example' }],
      })
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect((early?.cause as Error | undefined)?.message).toBe('step offer is not waiting for an approval');
    await advanceUntilWaiting(handle, 'approval');
    await env.sleep('3 hours');
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ nodeId: 'offer', decision: 'approved', decidedBy: 'csm@acme.example' }],
    });
    const result = await handle.result();
    const requested = result.timeline.find((e) => e.kind === 'approval')!;
    const decided = result.timeline.filter((e) => e.kind === 'approval')[1]!;
    expect(decided.summary).toBe('Approval approved: Free training session');
    const afterHours = (Date.parse(decided.at) - Date.parse(requested.at)) / 3_600_000;
    await expectSameAsSimulation(result, runInput, {
      approvals: [{ nodeId: 'offer', decision: 'approved', afterHours }],
    });
    expect(performed.filter((e) => e.nodeId === 'offerMail')).toHaveLength(1);
    await recordHistory('playbook-run-approved', handle);
  });

  it('tell the same timeline for a playbook with every step type, on each of its paths', async () => {
    const result = compilePlaybook(everyStepType(), { accountFields: { seats: 'number', championName: 'string' } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const seen = new Set<string>();
    for (const [segment, decision] of [
      ['tech-touch', undefined],
      ['high-touch', 'approved'],
      ['high-touch', 'rejected'],
    ] as const) {
      const runInput: RunInput = {
        playbook: { ...result.playbook, version: 1 },
        account: {
          id: `every-step-${segment}-${decision}`,
          timeZone: 'Europe/Madrid',
          fields: { segment, renewalDate: '2027-06-30', seats: 40 },
        },
      };
      const handle = await startRun(`two-drivers-every-step-${segment}-${decision}`, runInput);
      let script: Partial<SimulationInput> = {};
      if (decision) {
        await advanceUntilWaiting(handle, 'approval');
        await env.sleep('2 hours');
        await handle.executeUpdate(decideApprovalUpdate, {
          args: [{ nodeId: 'offer', decision, decidedBy: 'csm@acme.example' }],
        });
      }
      const run = await handle.result();
      if (decision) {
        const [requested, decided] = run.timeline.filter((e) => e.kind === 'approval');
        script = {
          approvals: [
            {
              nodeId: 'offer',
              decision,
              afterHours: (Date.parse(decided!.at) - Date.parse(requested!.at)) / 3_600_000,
            },
          ],
        };
      }
      await expectSameAsSimulation(run, runInput, script);
      for (const entry of run.timeline) seen.add(runInput.playbook.nodes[entry.nodeId]!.type);
    }
    expect([...seen].sort()).toEqual(
      [
        'approval',
        'branch',
        'email',
        'end',
        'goal',
        'notify',
        'split',
        'task',
        'trigger',
        'updateField',
        'wait',
        'waitForEvent',
        'webhook',
      ].sort(),
    );
  });

  it('tell the same timeline when the run continues as new every two steps', async () => {
    const runInput: RunInput = { ...input('high-touch'), stepsPerRun: 2 };
    const handle = await startRun('two-drivers-continue-as-new', runInput);
    const result = await handle.result();
    await expectSameAsSimulation(result, { ...runInput, stepsPerRun: undefined }, { approvals: [] });
    const first = await env.client.workflow
      .getHandle('two-drivers-continue-as-new', handle.firstExecutionRunId)
      .fetchHistory();
    expect(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const latest = await handle.describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
  });

  it('tell the same timeline when an exit event ends the run while it waits, recording the goal', async () => {
    const base = input('tech-touch');
    const runInput: RunInput = {
      ...base,
      playbook: {
        ...base.playbook,
        exit: [
          { kind: 'event', label: 'First value reached', event: 'first_value', goal: { name: 'time to first value' } },
        ],
      },
    };
    const handle = await startRun('two-drivers-exit', runInput);
    await env.sleep('2 days');
    await handle.signal(accountEventSignal, { event: 'first_value', data: {} });
    const result = await handle.result();
    expect(result.timeline.slice(-2).map((e) => e.summary)).toEqual([
      'Goal reached: time to first value',
      'Exited: First value reached',
    ]);
    expect(result.timeline.at(-2)!.why).toMatch(/^2 days/);
    expect(result.exited?.label).toBe('First value reached');
    const exitedAt = result.timeline.at(-1)!.at;
    await expectSameAsSimulation(result, runInput, { events: [{ event: 'first_value', at: exitedAt }] });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('tell the same timeline when the renewal date moves while the run waits for it (re-planned wait)', async () => {
    const renewal = compilePlaybook({
      schemaVersion: 1,
      key: 'mini-renewal',
      name: 'Mini renewal',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Renewal ahead', config: {} },
        {
          id: 'wait90',
          type: 'wait',
          label: '90 days before renewal',
          config: { kind: 'untilDate', field: 'renewalDate', offsetDays: -90, atTime: '09:00' },
        },
        {
          id: 'qbr',
          type: 'task',
          label: 'QBR',
          config: {
            assignee: 'ownerCsm',
            kind: 'meeting',
            title: 'Invite to the QBR',
            dueIn: { amount: 3, unit: 'businessDays' },
          },
        },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait90' },
        { id: 'e2', source: 'wait90', target: 'qbr' },
        { id: 'e3', source: 'qbr', target: 'done' },
      ],
    });
    if (!renewal.ok) throw new Error(JSON.stringify(renewal.issues));
    const startedAt = await env.currentTimeMs();
    const inDays = (days: number) => new Date(startedAt + days * 86_400_000).toISOString().slice(0, 10);
    const runInput: RunInput = {
      playbook: { ...renewal.playbook, version: 1 },
      account: { id: 'acct-renewal', timeZone: 'Europe/Madrid', fields: { renewalDate: inDays(120) } },
    };
    const handle = await startRun('two-drivers-replan', runInput);
    await env.sleep('10 days');
    await handle.signal(accountFieldsSignal, { fields: { renewalDate: inDays(150) } });
    const result = await handle.result();
    const waits = result.timeline.filter((e) => e.nodeId === 'wait90');
    expect(waits).toHaveLength(2);
    expect(waits[1]!.summary).toContain(`re-planned to ${inDays(60)}`);
    const qbr = result.timeline.find((e) => e.nodeId === 'qbr')!;
    expect(qbr.at.slice(0, 10)).toBe(inDays(60));
    await expectSameAsSimulation(result, runInput, {
      changes: [{ at: waits[1]!.at, fields: { renewalDate: inDays(150) } }],
    });
  });

  it('tell the same timeline when an email bounces and the playbook routes the failure', async () => {
    const routed = compilePlaybook({
      ...miniOnboarding,
      nodes: [
        ...miniOnboarding.nodes.map((n) => (n.id === 'welcome' ? { ...n, label: 'Welcome (bounces)' } : n)),
        {
          id: 'fixAddress',
          type: 'task',
          label: 'Fix the address',
          config: {
            assignee: 'ownerCsm',
            kind: 'other',
            title: 'The welcome bounced',
            dueIn: { amount: 1, unit: 'days' },
          },
        },
      ],
      edges: [
        ...miniOnboarding.edges,
        { id: 'f1', source: 'welcome', sourceHandle: 'failed', target: 'fixAddress' },
        { id: 'f2', source: 'fixAddress', target: 'done' },
      ],
    });
    if (!routed.ok) throw new Error(JSON.stringify(routed.issues));
    bouncing.add('Welcome (bounces)');
    const runInput: RunInput = { playbook: { ...routed.playbook, version: 1 }, account: input('tech-touch').account };
    const result = await (await startRun('two-drivers-bounce', runInput)).result();
    expect(result.timeline.map((e) => e.nodeId)).toEqual(['start', 'welcome', 'fixAddress', 'done']);
    await expectSameAsSimulation(result, runInput, {
      failures: [{ nodeId: 'welcome', status: 'failed', detail: 'ana@acme.example: 550 mailbox unavailable' }],
    });
  });
});
