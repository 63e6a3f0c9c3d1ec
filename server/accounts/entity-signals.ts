import type { Client } from '@temporalio/client';
import type { accountEntityWorkflow } from '../../engine/workflows/account-entity.js';
import {
  accountWorkflowId,
  eventsRecordedSignal,
  fieldsChangedSignal,
  sweepSignal,
  type FieldsChangedMessage,
} from '../../engine/workflows/account-signals.js';

// The server's side of the per-account entity workflows: every message starts the account's workflow if it is not
// running yet (signal-with-start), so the first event of a new account and the thousandth take the same path.

export interface EntityTarget {
  temporal: Client;
  taskQueue: string;
}

const start = (target: EntityTarget, accountId: string) => ({
  workflowId: accountWorkflowId(accountId),
  taskQueue: target.taskQueue,
  args: [{ accountId }] as [{ accountId: string }],
});

/** New events are recorded for these accounts: each account's workflow reads them back in order. */
export async function notifyEventsRecorded(target: EntityTarget, accountIds: readonly string[]): Promise<void> {
  for (const accountId of new Set(accountIds)) {
    await target.temporal.workflow.signalWithStart<typeof accountEntityWorkflow, []>('accountEntityWorkflow', {
      ...start(target, accountId),
      signal: eventsRecordedSignal,
      signalArgs: [],
    });
  }
}

/** An operator or an import changed the account's fields (with old and new values). */
export async function notifyFieldsChanged(
  target: EntityTarget,
  accountId: string,
  changed: FieldsChangedMessage['changed'],
): Promise<void> {
  if (Object.keys(changed).length === 0) return;
  await target.temporal.workflow.signalWithStart<typeof accountEntityWorkflow, [FieldsChangedMessage]>(
    'accountEntityWorkflow',
    { ...start(target, accountId), signal: fieldsChangedSignal, signalArgs: [{ changed }] },
  );
}

/** The daily sweep's message to one account; first any event whose signal was lost is read, then the sweep. */
export async function notifySweep(target: EntityTarget, accountId: string, asOf: string): Promise<void> {
  await notifyEventsRecorded(target, [accountId]);
  await target.temporal.workflow.signalWithStart<typeof accountEntityWorkflow, [{ asOf: string }]>(
    'accountEntityWorkflow',
    { ...start(target, accountId), signal: sweepSignal, signalArgs: [{ asOf }] },
  );
}
