import { patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { AccountFieldChanges, SweepActivities } from '../activity-contracts.js';

const { notifyFieldChanges } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

const BATCH = 100;

/**
 * Past this marker a fan-out given a pace sleeps between slices (timers in its history); histories without it
 * (started before the deploy) replay as they ran: one slice after another, unpaced.
 */
export const PACED_FIELD_CHANGES_PATCH = 'stayflow-paced-field-changes';

export interface FieldChangesFanOutInput {
  changes: AccountFieldChanges[];
  /**
   * At most `perSecond` accounts a second, counted from the workflow's start; `after`: accounts of the same import
   * that earlier fan-outs (started at the same moment) hand over first, so this one waits its turn. Absent in
   * inputs of older servers: every slice goes as soon as the one before it returned.
   */
  pace?: { perSecond: number; after?: number };
}

/**
 * Hands the accounts a CSV import changed to their entity workflows. The import answers once this workflow has
 * started (durable: the changes are in its input), not after a signal per row; Temporal delivers them even if
 * this process stops. One workflow per written batch keeps each input well under Temporal's payload limit.
 *
 * Paced: each account handed over may start its workflow and enroll it in playbooks, so 10,000 at once queue ahead
 * of every other account's timely step. Slices of at most one second's worth; the first goes at once, and each
 * later one when the pace allows (a workflow timer, so replay and a crash keep it).
 */
export async function fieldChangesFanOutWorkflow(input: FieldChangesFanOutInput): Promise<{
  notified: number;
}> {
  const pace = input.pace && input.pace.perSecond > 0 && patched(PACED_FIELD_CHANGES_PATCH) ? input.pace : undefined;
  const slice = pace ? Math.max(1, Math.min(BATCH, Math.floor(pace.perSecond))) : BATCH;
  const began = Date.now();
  let notified = 0;
  for (let start = 0; start < input.changes.length; start += slice) {
    if (pace) {
      const due = began + (((pace.after ?? 0) + start) / pace.perSecond) * 1000;
      const wait = Math.ceil(due - Date.now());
      if (wait > 0) await sleep(wait);
    }
    notified += (await notifyFieldChanges({ changes: input.changes.slice(start, start + slice) })).notified;
  }
  return { notified };
}
