import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { AccountInput } from '../../engine/accounts/schema.js';
import {
  accountStateQuery,
  accountWorkflowId,
  eventsRecordedSignal,
  sweepSignal,
} from '../../engine/workflows/account-signals.js';
import type { accountEntityWorkflow } from '../../engine/workflows/account-entity.js';
import { createAccount } from '../../server/accounts/store.js';
import type { AppDatabase } from '../../server/db/database.js';
import { recordEvents } from '../../server/events/store.js';
import { installDefaultScorecard } from '../../server/health/service.js';
import { runsQuery } from '../../server/playbooks/runs.js';
import { createPlaybook, publishDraft, updateDraft } from '../../server/playbooks/store.js';
import { recordHistory } from '../support/histories.js';
import { until } from '../support/until.js';
import { devServerWithSearchAttributes, startWorkflowStack, type WorkflowStack } from '../support/workflow-stack.js';

// The account workflow past FEWER_ROUND_TRIPS_PATCH, on the Temporal dev server with Stayflow's search attributes
// (accountRuns is a visibility query): an event enrolls exactly once, in a handful of workflow tasks, and a playbook
// published after the workflow read the published list is matched by the very next event. With RECORD_HISTORIES=1
// the first test saves tests/histories/account-entity-fewer-round-trips.json for the replay lane.

const TASK_QUEUE = 'account-entity-round-trips';
let env: TestWorkflowEnvironment;
let database: AppDatabase;

let stack: WorkflowStack;
beforeAll(async () => {
  stack = await startWorkflowStack({
    taskQueue: TASK_QUEUE,
    environment: devServerWithSearchAttributes,
    prepare: (db) => installDefaultScorecard(db.db),
  });
  ({ env, database } = stack);
}, 120_000);

afterAll(() => stack?.close());
/** trigger → wait 30 days → end; `everyTime`, so a second enrollment would be a second run, not a refusal. */
function sleeper(key: string, event: string, name = `Sleeper ${key}`) {
  return {
    schemaVersion: 1,
    key,
    name,
    triggers: [{ type: 'event', event }],
    enrollment: { mode: 'everyTime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'sleep', type: 'wait', label: 'Wait 30 days', config: { kind: 'duration', amount: 30, unit: 'days' } },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'sleep' },
      { id: 'e2', source: 'sleep', target: 'done' },
    ],
  };
}

async function publish(definition: ReturnType<typeof sleeper>) {
  await createPlaybook(database.db, definition);
  await publishDraft(database.db, definition.key);
}

async function newAccount(externalId: string) {
  return createAccount(database.db, AccountInput.parse({ externalId, name: externalId, timeZone: 'Europe/Madrid' }));
}

const record = (accountId: string, name: string) =>
  recordEvents(database.db, [{ accountId, name, occurredAt: new Date(), data: {} }]);

function signalEvents(accountId: string) {
  return env.client.workflow.signalWithStart<typeof accountEntityWorkflow, []>('accountEntityWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: accountWorkflowId(accountId),
    args: [{ accountId }],
    signal: eventsRecordedSignal,
    signalArgs: [],
  });
}

/** Runs of the playbook for the account, by workflow id, as visibility lists them (it lags a start by a moment). */
async function runsOf(playbookKey: string, accountId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of env.client.workflow.list({
    query: runsQuery({ playbook: playbookKey, account: accountId }),
  }))
    ids.push(info.workflowId);
  return ids;
}

/** Waits until the account's workflow has applied everything it was sent (nothing queued, nothing in flight). */
async function idle(entity: WorkflowHandle, appliedSeq: number) {
  await until('the account workflow to be idle', async () => {
    const state = await entity.query(accountStateQuery);
    const raw = (await entity.describe()).raw;
    const quiet = state.pending === 0 && raw.pendingActivities?.length === 0 && !raw.pendingWorkflowTask;
    return quiet && state.appliedSeq >= appliedSeq ? state : undefined;
  });
}

describe('the account workflow past FEWER_ROUND_TRIPS_PATCH', () => {
  it('enrolls on an event exactly once, in a few workflow tasks with one scheduled activity', async () => {
    const key = 'round-trips-signup';
    await publish(sleeper(key, 'trial.converted'));
    const account = await newAccount('round-trips-1');
    await record(account.id, 'trial.converted');
    const entity = await signalEvents(account.id);
    // The same news again, and a sweep: neither reads the event a second time.
    await signalEvents(account.id);
    await idle(entity, 1);
    await entity.signal(sweepSignal, { asOf: new Date().toISOString() });
    await idle(entity, 1);

    const runs = await until('the run to be listed', async () => {
      const ids = await runsOf(key, account.id);
      return ids.length > 0 ? ids : undefined;
    });
    // Visibility could still be catching up with a second start: ask once more a moment later.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await runsOf(key, account.id)).toEqual(runs);
    expect(runs).toHaveLength(1);
    const state = await entity.query(accountStateQuery);
    expect(state.decisions.filter((d) => d.playbookKey === key)).toMatchObject([{ started: true, eventSeq: 1 }]);

    const events = (await entity.fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    const markers = events.filter((e) => e.markerRecordedEventAttributes).length;
    const tasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
    // Only enrolling goes through the server as an activity; the reads are local (markers in the history).
    expect(scheduled).toEqual(['enrollAccount']);
    expect(markers).toBeGreaterThan(0);
    // The events message (reads and enroll; then the cursor, the score and the new run told of it), the repeated
    // signal, the sweep: a few tasks each, where the first message alone took 11 before the patch.
    expect(tasks).toBeLessThanOrEqual(9);

    await database.db.deleteFrom('accounts').where('id', '=', account.id).execute();
    await entity.signal(sweepSignal, { asOf: new Date().toISOString() });
    await entity.result();
    await recordHistory('account-entity-fewer-round-trips', entity);
  });

  it('sees a playbook published, or a new version published, after it read the published list', async () => {
    await publish(sleeper('round-trips-first', 'feature.used'));
    const account = await newAccount('round-trips-2');
    await record(account.id, 'feature.used');
    const entity = await signalEvents(account.id);
    await idle(entity, 1);
    expect(await until('the first run', async () => (await runsOf('round-trips-first', account.id))[0])).toBeTruthy();

    // Published now, after the workflow holds its copy of the list: the next event enrolls in it.
    await publish(sleeper('round-trips-later', 'report.exported'));
    await record(account.id, 'report.exported');
    await signalEvents(account.id);
    await idle(entity, 2);
    expect(await until('the later run', async () => (await runsOf('round-trips-later', account.id))[0])).toBeTruthy();

    // A new version that listens to another event: the old event no longer enrolls, the new one does.
    await updateDraft(database.db, 'round-trips-first', sleeper('round-trips-first', 'seat.added'));
    await publishDraft(database.db, 'round-trips-first');
    await record(account.id, 'feature.used');
    await record(account.id, 'seat.added');
    await signalEvents(account.id);
    await idle(entity, 4);
    const decisions = (await entity.query(accountStateQuery)).decisions;
    expect(decisions.map((d) => [d.playbookKey, d.eventSeq, d.started])).toEqual([
      ['round-trips-first', 1, true],
      ['round-trips-later', 2, true],
      ['round-trips-first', 4, true],
    ]);
    expect(decisions[2]!.detail).toContain('(version 2)');
  });
});
