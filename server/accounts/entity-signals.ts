import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { AccountFieldChanges } from '../../engine/activity-contracts.js';
import type { accountEntityWorkflow } from '../../engine/workflows/account-entity.js';
import type {
  FieldChangesFanOutInput,
  fieldChangesFanOutWorkflow,
} from '../../engine/workflows/field-changes-fan-out.js';
import {
  accountWorkflowId,
  eventsRecordedSignal,
  fieldsChangedSignal,
  rescoreSignal,
  sweepSignal,
  type FieldsChangedMessage,
  type RescoreMessage,
} from '../../engine/workflows/account-signals.js';

// The server's side of the per-account entity workflows: every message starts the account's workflow if it is not
// running yet (signal-with-start), so the first event of a new account and the thousandth take the same path.

export interface EntityTarget {
  temporal: Client;
  taskQueue: string;
}

/**
 * Signals in flight at once for a batch of accounts. One awaited round trip per account made a 1000-account batch
 * of events take seconds; a few at a time keeps the dev server and a shared connection comfortable.
 */
export const SIGNALS_IN_FLIGHT = 16;

/** Runs `send` for every item, at most `limit` at a time; the first failure is thrown once all have settled. */
export async function eachLimited<T>(items: readonly T[], limit: number, send: (item: T) => Promise<void>) {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await send(item).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}

const start = (target: EntityTarget, accountId: string) => ({
  workflowId: accountWorkflowId(accountId),
  taskQueue: target.taskQueue,
  args: [{ accountId }] as [{ accountId: string }],
});

/** New events are recorded for these accounts: each account's workflow reads them back in order. */
export async function notifyEventsRecorded(target: EntityTarget, accountIds: readonly string[]): Promise<void> {
  await eachLimited([...new Set(accountIds)], SIGNALS_IN_FLIGHT, async (accountId) => {
    await target.temporal.workflow.signalWithStart<typeof accountEntityWorkflow, []>('accountEntityWorkflow', {
      ...start(target, accountId),
      signal: eventsRecordedSignal,
      signalArgs: [],
    });
  });
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

/** Many accounts' changes (a CSV import's batch), a few signals at a time. */
export async function notifyManyFieldsChanged(target: EntityTarget, changes: readonly AccountFieldChanges[]) {
  await eachLimited(changes, SIGNALS_IN_FLIGHT, (c) => notifyFieldsChanged(target, c.accountId, c.changed));
}

/** The daily sweep's message to one account; first any event whose signal was lost is read, then the sweep. */
export async function notifySweep(target: EntityTarget, accountId: string, asOf: string): Promise<void> {
  await notifyEventsRecorded(target, [accountId]);
  await target.temporal.workflow.signalWithStart<typeof accountEntityWorkflow, [{ asOf: string }]>(
    'accountEntityWorkflow',
    { ...start(target, accountId), signal: sweepSignal, signalArgs: [{ asOf }] },
  );
}

/** A new scorecard version: each account is scored again under it, in order with its events. */
export async function notifyRescore(
  target: EntityTarget,
  accounts: readonly { accountId: string; from?: string }[],
  scorecardVersion: number,
) {
  await eachLimited(accounts, SIGNALS_IN_FLIGHT, async ({ accountId, from }) => {
    const message: RescoreMessage = { scorecardVersion, ...(from !== undefined && { from }) };
    await target.temporal.workflow.signalWithStart<typeof accountEntityWorkflow, [RescoreMessage]>(
      'accountEntityWorkflow',
      { ...start(target, accountId), signal: rescoreSignal, signalArgs: [message] },
    );
  });
}

/** Starts the workflow that re-scores every account under a new scorecard version (once per version). */
export async function startScorecardRescore(target: EntityTarget, scorecardVersion: number): Promise<string> {
  const handle = await target.temporal.workflow.start('scorecardRescoreWorkflow', {
    taskQueue: target.taskQueue,
    workflowId: `scorecard-rescore:v${scorecardVersion}`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ scorecardVersion }],
  });
  return handle.workflowId;
}

/**
 * Hands an import's changes to the engine: one workflow per written batch, started (durably) before the import
 * answers; the workflows signal the accounts at most `perSecond` a second between them (each starts after the
 * accounts of the batches before it). Answers the workflow ids, empty when nothing changed.
 */
export async function handOffFieldChanges(
  target: EntityTarget,
  batches: readonly AccountFieldChanges[][],
  perSecond?: number,
): Promise<string[]> {
  const ids: string[] = [];
  let after = 0;
  for (const changes of batches) {
    if (changes.length === 0) continue;
    const input: FieldChangesFanOutInput = { changes, ...(perSecond !== undefined && { pace: { perSecond, after } }) };
    const handle = await target.temporal.workflow.start<typeof fieldChangesFanOutWorkflow>(
      'fieldChangesFanOutWorkflow',
      {
        taskQueue: target.taskQueue,
        workflowId: `account-field-changes:${randomUUID()}`,
        args: [input],
      },
    );
    after += changes.length;
    ids.push(handle.workflowId);
  }
  return ids;
}
