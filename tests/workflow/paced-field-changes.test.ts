import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { sweepActivities } from '../../activities/accounts/sweep.js';
import type { AccountFieldChanges } from '../../engine/activity-contracts.js';
import { accountWorkflowId } from '../../engine/workflows/account-signals.js';
import { handOffFieldChanges } from '../../server/accounts/entity-signals.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { recordHistory } from '../support/histories.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// An import's hand-off, paced: the fan-out workflows of one import signal the accounts at most N a second between
// them, the first slice at once, in file order, none lost. The accounts' workflows are started on a task queue no
// worker polls, so each signal stays in its history with the (skipped) server time it arrived at — what the hand-off
// did, untouched by what the account workflows would then do. With RECORD_HISTORIES=1 the runs are saved for replay.

const FAN_OUT_QUEUE = 'paced-field-changes';
const ACCOUNTS_QUEUE = 'paced-field-changes-accounts-unpolled';

let env: TestWorkflowEnvironment;
let database: AppDatabase;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await startTimeSkipping();
  database = await openDatabase({ dataDir: 'memory://' });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: FAN_OUT_QUEUE,
    workflowBundle: workflowBundle(),
    // The real notifyFieldChanges: signal-with-start of each account's workflow, 16 in flight.
    activities: sweepActivities({ db: database.db, temporal: env.client, taskQueue: ACCOUNTS_QUEUE }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await database?.close();
  await env?.teardown();
});

const changesFor = (count: number): AccountFieldChanges[] =>
  Array.from({ length: count }, (_, i) => ({
    accountId: randomUUID(),
    changed: { renewalDate: { from: null, to: `2027-0${1 + (i % 9)}-15` } },
  }));

/** When each account's workflow got its fieldsChanged signal (ms, server time), and with what. */
async function signalsOf(changes: readonly AccountFieldChanges[]) {
  return Promise.all(
    changes.map(async ({ accountId }) => {
      const history = await env.client.workflow.getHandle(accountWorkflowId(accountId)).fetchHistory();
      const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
      return signals.map((e) => ({
        at: Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6),
        name: e.workflowExecutionSignaledEventAttributes!.signalName,
      }));
    }),
  );
}

async function startedAt(handle: WorkflowHandle): Promise<number> {
  return (await handle.describe()).startTime.getTime();
}

/** The fan-out's commands, in order: activities scheduled, timers started, patch markers. */
async function commandsOf(handle: WorkflowHandle): Promise<string[]> {
  return ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
    if (e.activityTaskScheduledEventAttributes) return ['activity'];
    if (e.timerStartedEventAttributes) return ['timer'];
    if (e.markerRecordedEventAttributes) return ['marker'];
    return [];
  });
}

/**
 * The shape of a paced fan-out's commands: the patch marker, then each slice's activity, each after at most one
 * timer. A slice whose due time already passed (the one before it took a second or more on a loaded machine) needs
 * no timer, so how many there are depends on the machine; when each slice went is checked on the signals' times.
 */
function expectPaced(commands: string[], slices: number, firstWaits: 'never' | 'may') {
  expect(commands[0]).toBe('marker');
  const rest = commands.slice(1).join(' ');
  expect(rest).toMatch(/^(timer )?activity( (timer )?activity)*$/);
  expect(commands.filter((c) => c === 'activity')).toHaveLength(slices);
  // A small import is not made slower: nothing waits before the first slice of the first batch.
  if (firstWaits === 'never') expect(commands[1]).toBe('activity');
}

describe('the paced hand-off of an import', () => {
  it('signals 250 accounts at 50 a second: the first 50 at once, then a slice a second, in order, none lost', async () => {
    const changes = changesFor(250);
    const [id] = await handOffFieldChanges({ temporal: env.client, taskQueue: FAN_OUT_QUEUE }, [changes], 50);
    const handle = env.client.workflow.getHandle(id!);
    expect(await handle.result()).toEqual({ notified: 250 });

    const signals = await signalsOf(changes);
    // Each account heard exactly once, of its own change.
    expect(signals.map((s) => s.map((x) => x.name))).toEqual(changes.map(() => ['fieldsChanged']));
    const times = signals.map((s) => s[0]!.at);
    const began = await startedAt(handle);
    // Slices of one second's worth, each after the one before it and not before its second.
    for (let slice = 1; slice < 5; slice++) {
      const previous = times.slice((slice - 1) * 50, slice * 50);
      const current = times.slice(slice * 50, (slice + 1) * 50);
      expect(Math.min(...current), `slice ${slice + 1} after slice ${slice}`).toBeGreaterThanOrEqual(
        Math.max(...previous),
      );
      expect(Math.min(...current) - began, `slice ${slice + 1} not before its second`).toBeGreaterThanOrEqual(
        slice * 1000,
      );
    }
    // 250 accounts at 50 a second: the last slice is due 4 s of workflow time into the hand-off.
    expect(Math.max(...times) - began).toBeGreaterThanOrEqual(4000);
    // Behind the patch marker; no timer before the first slice (a small import is not made slower), then a timer
    // before each later slice whose second has not come yet.
    expectPaced(await commandsOf(handle), 5, 'never');
  });

  it('paces an import’s fan-outs between them: a later batch waits for the accounts of the batches before it', async () => {
    const changes = changesFor(180);
    const ids = await handOffFieldChanges(
      { temporal: env.client, taskQueue: FAN_OUT_QUEUE },
      [changes.slice(0, 150), [], changes.slice(150)],
      50,
    );
    expect(ids).toHaveLength(2);
    const [first, second] = ids.map((id) => env.client.workflow.getHandle(id));
    expect(await Promise.all([first!.result(), second!.result()])).toEqual([{ notified: 150 }, { notified: 30 }]);
    // 150 accounts go first, at 50 a second: the second batch's 30 are due 3 s into the hand-off.
    expectPaced(await commandsOf(first!), 3, 'never');
    expectPaced(await commandsOf(second!), 1, 'may');
    await recordHistory('field-changes-fan-out-paced', first!);
    const times = (await signalsOf(changes)).map((s) => {
      expect(s).toHaveLength(1);
      return s[0]!.at;
    });
    const began = Math.min(await startedAt(first!), await startedAt(second!));
    expect(Math.min(...times.slice(150)) - began).toBeGreaterThanOrEqual(3000);
  });

  it('keeps today’s behaviour for an input without a pace (an older server’s): slices of 100, no timers', async () => {
    const changes = changesFor(120);
    const handle = await env.client.workflow.start('fieldChangesFanOutWorkflow', {
      taskQueue: FAN_OUT_QUEUE,
      workflowId: `account-field-changes:${randomUUID()}`,
      args: [{ changes }],
    });
    expect(await handle.result()).toEqual({ notified: 120 });
    expect(await commandsOf(handle)).toEqual(['activity', 'activity']);
    expect((await signalsOf(changes)).map((s) => s.length)).toEqual(changes.map(() => 1));
    await recordHistory('field-changes-fan-out-unpaced', handle);

    // A deploy: a new server started a fan-out with a pace that the old code ran unpaced (no marker). The new code
    // replays it as it ran, because the pace is behind the patch.
    const history = await handle.fetchHistory();
    const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const input = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as object;
    payload.data = Buffer.from(JSON.stringify({ ...input, pace: { perSecond: 50, after: 0 } }));
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, handle.workflowId);
  });
});
