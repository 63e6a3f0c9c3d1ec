import { proxyActivities } from '@temporalio/workflow';
import type { AccountFieldChanges, SweepActivities } from '../activity-contracts.js';

const { notifyFieldChanges } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

const BATCH = 100;

/**
 * Hands the accounts a CSV import changed to their entity workflows. The import answers once this workflow has
 * started (durable: the changes are in its input), not after a signal per row; Temporal delivers them even if
 * this process stops. One workflow per written batch keeps each input well under Temporal's payload limit.
 */
export async function fieldChangesFanOutWorkflow(input: { changes: AccountFieldChanges[] }): Promise<{
  notified: number;
}> {
  let notified = 0;
  for (let start = 0; start < input.changes.length; start += BATCH) {
    notified += (await notifyFieldChanges({ changes: input.changes.slice(start, start + BATCH) })).notified;
  }
  return { notified };
}
