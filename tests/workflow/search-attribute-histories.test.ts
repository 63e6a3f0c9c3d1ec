import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { AccountInput } from '../../engine/accounts/schema.js';
import type { RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import {
  accountAttribute,
  nodeAttribute,
  playbookKeyAttribute,
  statusAttribute,
  versionAttribute,
} from '../../engine/search-attributes.js';
import { accountWorkflowId, eventsRecordedSignal, sweepSignal } from '../../engine/workflows/account-signals.js';
import type { accountEntityWorkflow } from '../../engine/workflows/account-entity.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { accountEventSignal, positionQuery, skipWaitUpdate } from '../../engine/workflows/playbook-signals.js';
import { createAccount } from '../../server/accounts/store.js';
import type { AppDatabase } from '../../server/db/database.js';
import { recordEvents } from '../../server/events/store.js';
import { installDefaultScorecard } from '../../server/health/service.js';
import { createPlaybook, publishDraft } from '../../server/playbooks/store.js';
import { recordHistory } from '../support/histories.js';
import { until } from '../support/until.js';
import { devServerWithSearchAttributes, startWorkflowStack, type WorkflowStack } from '../support/workflow-stack.js';

// Production paths the time-skipping server cannot record: runs started with Stayflow's search attributes (so each
// move upserts StayflowNode / StayflowStatus, and replay checks those commands too), and the long-lived account
// workflow enrolling an account and telling its run about an event. On the Temporal dev server (the provisioned
// CLI), with the attributes registered as `npm start` registers them; waits are skipped or signalled, not slept.

const TASK_QUEUE = 'search-attribute-histories';
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

/** trigger → wait 3 days → kickoff done? (10 days) → done | late. */
function kickoffDefinition(key: string, trigger: Record<string, unknown> = { type: 'manual' }) {
  return {
    schemaVersion: 1,
    key,
    name: `Kickoff ${key}`,
    triggers: [trigger],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'wait3', type: 'wait', label: 'Wait 3 days', config: { kind: 'duration', amount: 3, unit: 'days' } },
      {
        id: 'kickoff',
        type: 'waitForEvent',
        label: 'Kickoff done?',
        config: { event: 'kickoff.done', timeout: { amount: 10, unit: 'days' } },
      },
      { id: 'done', type: 'end', label: 'Done', config: {} },
      { id: 'late', type: 'end', label: 'Late', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait3' },
      { id: 'e2', source: 'wait3', target: 'kickoff' },
      { id: 'e3', source: 'kickoff', sourceHandle: 'received', target: 'done' },
      { id: 'e4', source: 'kickoff', sourceHandle: 'timeout', target: 'late' },
    ],
  };
}

const attributes = async (handle: WorkflowHandle) => {
  const sa = (await handle.describe()).typedSearchAttributes;
  return { node: sa.get(nodeAttribute), status: sa.get(statusAttribute) };
};

const waitingOn = (handle: WorkflowHandle, kind: string) =>
  until(`the run to wait on ${kind}`, async () => {
    const position = await handle.query(positionQuery);
    return position.waiting?.kind === kind ? position : undefined;
  });

describe('histories with search attributes', () => {
  it('a run keeps StayflowNode and StayflowStatus current: timer skipped, event received, completed', async () => {
    const compiled = compilePlaybook(kickoffDefinition('kickoff-listed'));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const input: RunInput = {
      playbook: { ...compiled.playbook, version: 1 },
      account: { id: 'acct-listed', timeZone: 'Europe/Madrid', fields: {} },
    };
    const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: 'playbook:kickoff-listed:account:acct-listed',
      args: [input],
      typedSearchAttributes: [
        { key: playbookKeyAttribute, value: 'kickoff-listed' },
        { key: versionAttribute, value: 1 },
        { key: accountAttribute, value: 'acct-listed' },
      ],
    });
    await waitingOn(handle, 'timer');
    expect(await attributes(handle)).toEqual({ node: 'wait3', status: 'waiting-timer' });
    await handle.executeUpdate(skipWaitUpdate, { args: [{ requestedBy: 'ops@acme.example' }] });
    await waitingOn(handle, 'event');
    expect(await attributes(handle)).toEqual({ node: 'kickoff', status: 'waiting-event' });
    await handle.signal(accountEventSignal, { event: 'kickoff.done', data: {} });
    const result: RunResult = await handle.result();
    expect(result.endNodeId).toBe('done');
    expect(await attributes(handle)).toEqual({ node: 'done', status: 'completed' });
    await recordHistory('playbook-run-search-attributes', handle);
  });

  it("the account's workflow enrolls on an event, tells its run the next one, and ends when the account is deleted", async () => {
    const key = 'kickoff-by-event';
    await createPlaybook(database.db, kickoffDefinition(key, { type: 'event', event: 'trial.converted' }));
    await publishDraft(database.db, key);
    const account = await createAccount(
      database.db,
      AccountInput.parse({ externalId: 'entity-1', name: 'Entity Co', timeZone: 'Europe/Madrid' }),
    );
    const record = (name: string) =>
      recordEvents(database.db, [{ accountId: account.id, name, occurredAt: new Date(), data: {} }]);
    await record('trial.converted');
    const entity = await env.client.workflow.signalWithStart<typeof accountEntityWorkflow, []>(
      'accountEntityWorkflow',
      {
        taskQueue: TASK_QUEUE,
        workflowId: accountWorkflowId(account.id),
        args: [{ accountId: account.id }],
        signal: eventsRecordedSignal,
        signalArgs: [],
      },
    );
    const run = env.client.workflow.getHandle(`playbook:${key}:account:${account.id}`);
    await until('the run to start', () =>
      run.describe().then(
        () => true,
        () => undefined,
      ),
    );
    await skipTheTimer(run);
    await waitingOn(run, 'event');
    await record('kickoff.done');
    await entity.signal(eventsRecordedSignal);
    const result: RunResult = await run.result();
    expect(result.endNodeId).toBe('done');
    expect(await attributes(run)).toEqual({ node: 'done', status: 'completed' });

    // The account's workflow finishes the event (its re-score) before the account goes.
    await until('the account workflow to be idle', async () => {
      const raw = (await entity.describe()).raw;
      return raw.pendingActivities?.length === 0 && !raw.pendingWorkflowTask ? true : undefined;
    });
    await database.db.deleteFrom('accounts').where('id', '=', account.id).execute();
    await entity.signal(sweepSignal, { asOf: new Date().toISOString() });
    await entity.result();
    await recordHistory('account-entity-enrolls-and-tells-run', entity);
    await recordHistory('playbook-run-enrolled-by-account', run);
  });
});

async function skipTheTimer(run: WorkflowHandle) {
  await waitingOn(run, 'timer');
  await run.executeUpdate(skipWaitUpdate, { args: [{ requestedBy: 'ops@acme.example' }] });
}
