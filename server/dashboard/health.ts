import { sql } from 'kysely';
import type { Dashboard } from '../../engine/dashboard/schema.js';
import type { Db } from '../db/database.js';
import { ownedBy } from './owner.js';

// Health distribution: every account by the level and score of its newest health row — the same newest row the
// accounts list shows and filters by (server/accounts/store.ts listAccounts), so a number here is the length of
// that list with the matching filter.

/** Health-score bands of the distribution; the list filter takes each as healthMin/healthMax. */
export const HEALTH_BUCKETS: readonly [number, number][] = [
  [0, 19],
  [20, 39],
  [40, 59],
  [60, 79],
  [80, 100],
];

export async function healthFigures(db: Db, owner: string | undefined): Promise<Dashboard['health']> {
  const buckets = HEALTH_BUCKETS.map(([min, max], i) =>
    sql<number>`count(*) filter (where health.health_score between ${min} and ${max})`.as(`bucket${i}`),
  );
  const row = await db
    .selectFrom('accounts')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('account_health')
          .select(['risk_level', 'health_score'])
          .whereRef('account_health.account_id', '=', 'accounts.id')
          .orderBy('computed_at', 'desc')
          .orderBy('account_health.id', 'desc')
          .limit(1)
          .as('health'),
      (join) => join.onTrue(),
    )
    .select([
      sql<number>`count(*)`.as('accounts'),
      sql<number>`count(*) filter (where health.risk_level = 'high')`.as('high'),
      sql<number>`count(*) filter (where health.risk_level = 'medium')`.as('medium'),
      sql<number>`count(*) filter (where health.risk_level = 'low')`.as('low'),
      sql<number>`count(*) filter (where health.risk_level = 'none')`.as('none'),
      sql<number>`count(*) filter (where health.risk_level is null)`.as('unscored'),
      ...buckets,
    ])
    .$if(owner !== undefined, (q) => q.where(ownedBy(owner!)))
    .executeTakeFirstOrThrow();
  // bigint counts arrive as strings from pg and as numbers from PGlite.
  const n = (value: unknown) => Number(value);
  const counts = row as unknown as Record<string, unknown>;
  return {
    accounts: n(row.accounts),
    byLevel: {
      high: n(row.high),
      medium: n(row.medium),
      low: n(row.low),
      none: n(row.none),
      unscored: n(row.unscored),
    },
    buckets: HEALTH_BUCKETS.map(([healthMin, healthMax], i) => ({
      healthMin,
      healthMax,
      accounts: n(counts[`bucket${i}`]),
    })),
  };
}
