import { sql } from 'kysely';
import { scoreAccount, type HealthScore, type SignalOutcome } from '../../engine/health/score.js';
import {
  DEFAULT_SCORECARD,
  Scorecard,
  type HealthRiskLevel,
  type ScorecardInput,
} from '../../engine/health/scorecard.js';
import { notFound } from '../errors.js';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';
import { readMetrics } from './metrics.js';

// Health: the scorecard's versions, and scoring an account (metrics → score → one account_health row). Scores are
// history: every computation is a row naming the scorecard version it used, so a changed scorecard never rewrites
// what an account's health was.

export interface StoredScorecard {
  version: number;
  definition: Scorecard;
  createdAt: string;
}

export interface HealthRecord extends HealthScore {
  accountId: string;
  scorecardVersion: number;
  /** The instant the score describes (asOf). */
  computedAt: string;
}

export interface ScoreResult {
  score: HealthRecord;
  /** The level of the account's previous row; null when this is its first score. */
  previousLevel: HealthRiskLevel | null;
  /** The risk score of the account's previous row; null when this is its first score. */
  previousScore: number | null;
  level: HealthRiskLevel;
  /** The level differs from the previous one (a first score counts as a change unless it is `none`). */
  changed: boolean;
}

/** Installs the default scorecard as version 1 when there is none; safe to call on every start, concurrently. */
export async function installDefaultScorecard(db: Db): Promise<void> {
  await db
    .insertInto('scorecard_versions')
    .values({ version: 1, definition: JSON.stringify(DEFAULT_SCORECARD) })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
}

const toScorecard = (row: { version: number; definition: unknown; created_at: Date }): StoredScorecard => ({
  version: row.version,
  definition: Scorecard.parse(row.definition),
  createdAt: row.created_at.toISOString(),
});

export async function currentScorecard(db: Db): Promise<StoredScorecard> {
  const row = await db
    .selectFrom('scorecard_versions')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw notFound('A scorecard (none is installed; the server installs the default at start)');
  return toScorecard(row);
}

/** Every saved scorecard, newest first, a page at a time (keyset on the version number). */
export async function pageScorecards(db: Db, page: { limit: number; cursor?: string }) {
  return keysetPage(db.selectFrom('scorecard_versions').selectAll(), page, {
    order: 'desc',
    keys: [['version', 'int']],
    item: toScorecard,
  });
}

/** Saves a new scorecard as the next version. Scores already recorded keep theirs; rescoreAll applies the new one. */
export async function saveScorecard(db: Db, input: ScorecardInput): Promise<StoredScorecard> {
  const definition = Scorecard.parse(input);
  return db.transaction().execute(async (tx) => {
    // Two saves at once would both pick N+1; the table lock makes them take turns (scorecards change rarely).
    await sql`lock table scorecard_versions in share row exclusive mode`.execute(tx);
    const row = await tx
      .insertInto('scorecard_versions')
      .values((eb) => ({
        version: eb.selectFrom('scorecard_versions').select(sql<number>`coalesce(max(version), 0) + 1`.as('next')),
        definition: JSON.stringify(definition),
      }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toScorecard(row);
  });
}

type HealthRow = {
  account_id: string;
  scorecard_version: number;
  risk_score: number;
  risk_level: string;
  health_score: number;
  fired: unknown;
  quiet: unknown;
  computed_at: Date;
};
const toRecord = (row: HealthRow): HealthRecord => ({
  accountId: row.account_id,
  scorecardVersion: row.scorecard_version,
  riskScore: row.risk_score,
  riskLevel: row.risk_level as HealthRiskLevel,
  healthScore: row.health_score,
  fired: row.fired as SignalOutcome[],
  quiet: row.quiet as SignalOutcome[],
  computedAt: row.computed_at.toISOString(),
});
const healthColumns = [
  'account_id',
  'scorecard_version',
  'risk_score',
  'risk_level',
  'health_score',
  'fired',
  'quiet',
  'computed_at',
] as const;

async function scoreWith(db: Db, scorecard: StoredScorecard, accountId: string, asOf: Date): Promise<ScoreResult> {
  const readings = await readMetrics(db, accountId, scorecard.definition, asOf);
  const health = scoreAccount(scorecard.definition, readings);
  return db.transaction().execute(async (tx) => {
    const previous = await tx
      .selectFrom('account_health')
      .select(['risk_level', 'risk_score'])
      .where('account_id', '=', accountId)
      .orderBy('computed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row = await tx
      .insertInto('account_health')
      .values({
        account_id: accountId,
        scorecard_version: scorecard.version,
        risk_score: health.riskScore,
        risk_level: health.riskLevel,
        health_score: health.healthScore,
        fired: JSON.stringify(health.fired),
        quiet: JSON.stringify(health.quiet),
        computed_at: asOf,
      })
      .returning(healthColumns)
      .executeTakeFirstOrThrow();
    const previousLevel = (previous?.risk_level as HealthRiskLevel | undefined) ?? null;
    return {
      score: toRecord(row),
      previousLevel,
      previousScore: previous?.risk_score ?? null,
      level: health.riskLevel,
      changed: (previousLevel ?? 'none') !== health.riskLevel,
    };
  });
}

/** Scores one account at `asOf` with the current scorecard and records the result (one account_health row). */
export async function scoreAndRecord(db: Db, accountId: string, asOf: Date): Promise<ScoreResult> {
  return scoreWith(db, await currentScorecard(db), accountId, asOf);
}

export interface RescoreBatch {
  scorecardVersion: number;
  scored: number;
  /** Accounts whose level changed, for the caller to act on (riskLevelEntered triggers). */
  changed: { accountId: string; previousLevel: HealthRiskLevel | null; level: HealthRiskLevel }[];
  /** Accounts whose score or level moved (a superset of `changed`): their runs' conditions may read it. */
  moved: { accountId: string; previousLevel: HealthRiskLevel | null }[];
  /** Pass as `after` for the next batch; undefined when this was the last one. */
  nextAfter: string | undefined;
}

/**
 * Scores the next `limit` accounts after account id `after` (keyset order by id) with the current scorecard. One
 * batch per activity keeps a Temporal-driven sweep's activities short and resumable.
 */
export async function rescoreBatch(
  db: Db,
  asOf: Date,
  opts: { after?: string; limit?: number } = {},
): Promise<RescoreBatch> {
  const limit = opts.limit ?? 200;
  const scorecard = await currentScorecard(db);
  let query = db.selectFrom('accounts').select('id').orderBy('id').limit(limit);
  if (opts.after !== undefined) query = query.where('id', '>', opts.after);
  const accounts = await query.execute();
  const changed: RescoreBatch['changed'] = [];
  const moved: RescoreBatch['moved'] = [];
  for (const { id } of accounts) {
    const result = await scoreWith(db, scorecard, id, asOf);
    if (result.changed) changed.push({ accountId: id, previousLevel: result.previousLevel, level: result.level });
    if (result.changed || (result.previousScore ?? 0) !== result.score.riskScore) {
      moved.push({ accountId: id, previousLevel: result.previousLevel });
    }
  }
  return {
    scorecardVersion: scorecard.version,
    scored: accounts.length,
    changed,
    moved,
    nextAfter: accounts.length === limit ? accounts.at(-1)!.id : undefined,
  };
}

/** Scores every account at `asOf`, batch after batch (e.g. after a new scorecard version, or the daily sweep). */
export async function rescoreAll(
  db: Db,
  asOf: Date,
  opts: { batchSize?: number } = {},
): Promise<{ scored: number; changed: RescoreBatch['changed'] }> {
  let after: string | undefined;
  let scored = 0;
  const changed: RescoreBatch['changed'] = [];
  do {
    const batch = await rescoreBatch(db, asOf, { after, limit: opts.batchSize });
    scored += batch.scored;
    changed.push(...batch.changed);
    after = batch.nextAfter;
  } while (after !== undefined);
  return { scored, changed };
}

/** The account's newest score and its history (newest first, `limit` rows including the newest). */
export async function accountHealth(
  db: Db,
  accountId: string,
  limit = 30,
): Promise<{ latest: HealthRecord | null; history: HealthRecord[] }> {
  const rows = await db
    .selectFrom('account_health')
    .select(healthColumns)
    .where('account_id', '=', accountId)
    .orderBy('computed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const history = rows.map(toRecord);
  return { latest: history[0] ?? null, history };
}

/** The newest score of each account given (absent when it has none): the computed account fields. */
export async function latestHealthOf(db: Db, accountIds: readonly string[]): Promise<Map<string, HealthRecord>> {
  if (accountIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('account_health')
    .select(healthColumns)
    .distinctOn('account_id')
    .where('account_id', 'in', [...accountIds])
    .orderBy('account_id')
    .orderBy('computed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.account_id, toRecord(row)]));
}
