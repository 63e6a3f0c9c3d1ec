import { proxyActivities } from '@temporalio/workflow';
import type { SweepActivities } from '../activity-contracts.js';

const { sweepAccounts } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

const BATCH = 500;

/**
 * Time-based signals ("no login for 7 days") and date-relative triggers ("renewal date − 120 days") change with
 * the calendar, not with an event; a Temporal Schedule starts this once a day, and it hands every account, in
 * batches, to its entity workflow, which re-scores it and evaluates its date triggers in order with its events.
 */
export async function dailySweepWorkflow(input: { asOf?: string } = {}): Promise<{ swept: number }> {
  const asOf = input.asOf ?? new Date().toISOString();
  let after: string | undefined;
  let swept = 0;
  do {
    const batch = await sweepAccounts({ asOf, after, limit: BATCH });
    swept += batch.swept;
    after = batch.nextAfter;
  } while (after !== undefined);
  return { swept };
}
