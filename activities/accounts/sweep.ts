import type { SweepActivities } from '../../engine/activity-contracts.js';
import { notifySweep, type EntityTarget } from '../../server/accounts/entity-signals.js';
import type { Db } from '../../server/db/database.js';

/** One batch of the daily sweep: the next `limit` accounts by id get the sweep message. */
export function sweepActivities(deps: { db: Db } & EntityTarget): SweepActivities {
  return {
    async sweepAccounts({ asOf, after, limit }) {
      let query = deps.db.selectFrom('accounts').select('id').orderBy('id').limit(limit);
      if (after !== undefined) query = query.where('id', '>', after);
      const ids = (await query.execute()).map((row) => row.id);
      for (const id of ids) await notifySweep(deps, id, asOf);
      return { swept: ids.length, nextAfter: ids.length === limit ? ids.at(-1) : undefined };
    },
  };
}
