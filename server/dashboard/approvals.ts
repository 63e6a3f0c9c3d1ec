import { sql } from 'kysely';
import type { Dashboard } from '../../engine/dashboard/schema.js';
import type { Db } from '../db/database.js';
import { utcDayEnd, utcDayStart } from '../email/outbox.js';

// Approvals from their stored records: how many wait for a person now, and how long people took to decide the
// ones decided in the period (a timeout is not a decision, so it is left out of both).

export async function approvalFigures(
  db: Db,
  period: { from: string; to: string },
  owner: string | undefined,
): Promise<Dashboard['approvals']> {
  const mine = owner?.toLowerCase();
  const pending = await db
    .selectFrom('approvals')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'pending')
    .$if(mine !== undefined, (q) => q.where(sql`lower(owner_csm_email)`, '=', mine!))
    .executeTakeFirstOrThrow();
  const decided = await db
    .selectFrom('approvals')
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from decided_at - created_at))`.as(
        'median_seconds',
      ),
    ])
    .where('status', 'in', ['approved', 'rejected'])
    .where('decided_at', '>=', utcDayStart(period.from))
    .where('decided_at', '<', utcDayEnd(period.to))
    .$if(mine !== undefined, (q) => q.where(sql`lower(owner_csm_email)`, '=', mine!))
    .executeTakeFirstOrThrow();
  const median = decided.median_seconds === null ? null : Number(decided.median_seconds) / 3600;
  return {
    pending: Number(pending.n),
    decided: Number(decided.n),
    medianHoursToDecision: median === null ? null : Math.round(median * 10) / 10,
  };
}
