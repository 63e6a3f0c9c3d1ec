import type { SweepActivities } from '../../engine/activity-contracts.js';
import {
  eachLimited,
  notifyManyFieldsChanged,
  notifyRescore,
  notifySweep,
  SIGNALS_IN_FLIGHT,
  type EntityTarget,
} from '../../server/accounts/entity-signals.js';
import type { Db } from '../../server/db/database.js';
import { accountIdsAfter } from '../../server/accounts/store.js';
import { rescoreBatch } from '../../server/health/service.js';

/** Batches of messages to many accounts' entity workflows: the daily sweep, a re-score, an import's changes. */
export function sweepActivities(deps: { db: Db } & EntityTarget): SweepActivities {
  return {
    async sweepAccounts({ asOf, after, limit }) {
      const ids = await accountIdsAfter(deps.db, after, limit);
      await eachLimited(ids, SIGNALS_IN_FLIGHT, (id) => notifySweep(deps, id, asOf));
      return { swept: ids.length, nextAfter: ids.length === limit ? ids.at(-1) : undefined };
    },

    // Scored here, in one pass over the batch; only accounts whose score moved have anything for their workflow
    // to act on (a level entered, a run's condition on the score), so only they are signalled. Signalling every
    // account would start a workflow for each, most of them to learn that nothing changed.
    async rescoreAccounts({ scorecardVersion, after, limit }) {
      const batch = await rescoreBatch(deps.db, new Date(), { after, limit });
      const moved = batch.moved.map((m) => ({ accountId: m.accountId, from: m.previousLevel ?? 'none' }));
      await notifyRescore(deps, moved, Math.max(scorecardVersion, batch.scorecardVersion));
      return { scored: batch.scored, notified: moved.length, nextAfter: batch.nextAfter };
    },

    async notifyFieldChanges({ changes }) {
      await notifyManyFieldsChanged(deps, changes);
      return { notified: changes.length };
    },
  };
}
