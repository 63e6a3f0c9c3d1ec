import { proxyActivities } from '@temporalio/workflow';
import type { SweepActivities } from '../activity-contracts.js';

const { rescoreAccounts } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

const BATCH = 500;

/**
 * A new scorecard version changes every account's score at once. Started by `PUT /api/scorecard` (one per
 * version), it scores every account under it, in batches, and hands each account whose score moved a rescore
 * message; that account's entity workflow then scores it in order with its events, and its risk-level triggers
 * fire where the level changed — the same path as an event.
 */
export async function scorecardRescoreWorkflow(input: {
  scorecardVersion: number;
}): Promise<{ scored: number; notified: number }> {
  let after: string | undefined;
  let scored = 0;
  let notified = 0;
  do {
    const batch = await rescoreAccounts({ scorecardVersion: input.scorecardVersion, after, limit: BATCH });
    scored += batch.scored;
    notified += batch.notified;
    after = batch.nextAfter;
  } while (after !== undefined);
  return { scored, notified };
}
