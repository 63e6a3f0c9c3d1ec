import { sql, type RawBuilder } from 'kysely';
import type { MetricReading } from '../../engine/health/score.js';
import type { Scorecard, Signal } from '../../engine/health/scorecard.js';
import { notFound } from '../errors.js';
import type { Db } from '../db/database.js';

// Every signal's metric for one account at an instant `asOf`, in one query over account_events. Only events that
// happened at or before asOf count, so the daily sweep, a re-score under a new scorecard and the tests that pass a
// past or future instant all read the same way.
//
// When Stayflow's view of the account begins ("tracking start"): the earlier of the account's created_at and its
// earliest event. Not start_date (the contract's start): an account imported today after three years as a customer
// has no events before today, and judging its empty 90-day window would put every new import at high risk.
//  - count / sum / distinct over a window longer than the account has been tracked: no data (window-not-observed);
//  - latest with no (numeric) event in the window: no data (no-events);
//  - daysSinceLast with no event ever: whole days since tracking start (so "no login for 7 days" fires on day 7 of
//    an account that never logged in, not on day 0).

const DAY_MS = 86_400_000;

const namesOf = (signal: Signal) => [signal.metric.event].flat();
const inNames = (signal: Signal) => sql`e.name in (${sql.join(namesOf(signal))})`;
const windowStart = (signal: Signal, asOf: Date) => new Date(asOf.getTime() - (signal.metric.windowDays ?? 0) * DAY_MS);
// data->field as a number, or null when it is absent or not a number (a custom event may send anything).
const numeric = (field: string) =>
  sql`case when jsonb_typeof(e.data -> ${field}::text) = 'number' then (e.data ->> ${field}::text)::float8 end`;

/** The SQL aggregate of one signal over the lateral scan `e`, or undefined for daysSinceLast (a subquery). */
function aggregateOf(signal: Signal, asOf: Date): RawBuilder<unknown> | undefined {
  const { aggregate, field } = signal.metric;
  const inWindow = sql`${inNames(signal)} and e.occurred_at > ${windowStart(signal, asOf)}::timestamptz`;
  switch (aggregate) {
    case 'count':
      return sql`count(*) filter (where ${inWindow})`;
    case 'sum':
      return sql`coalesce(sum(${numeric(field!)}) filter (where ${inWindow}), 0)`;
    case 'distinct':
      return sql`count(distinct e.data ->> ${field!}::text) filter (where ${inWindow} and e.data ->> ${field!}::text is not null)`;
    case 'latest':
      return sql`(array_agg(${numeric(field!)} order by e.occurred_at desc, e.seq desc)
                   filter (where ${inWindow} and jsonb_typeof(e.data -> ${field!}::text) = 'number'))[1]`;
    case 'daysSinceLast':
      return undefined;
    default: {
      const never: never = aggregate;
      throw new Error(`unknown aggregate ${String(never)}`);
    }
  }
}

export async function readMetrics(
  db: Db,
  accountId: string,
  scorecard: Scorecard,
  asOf: Date,
): Promise<Record<string, MetricReading>> {
  const readings = (await readMetricsOfMany(db, [accountId], scorecard, asOf)).get(accountId);
  if (!readings) throw notFound(`Account ${accountId}`);
  return readings;
}

/**
 * readMetrics for many accounts in one query (a batch of a few hundred): what scoring a whole portfolio under a
 * draft scorecard needs, where one query per account would take minutes. Accounts that do not exist are absent.
 */
export async function readMetricsOfMany(
  db: Db,
  accountIds: readonly string[],
  scorecard: Scorecard,
  asOf: Date,
): Promise<Map<string, Record<string, MetricReading>>> {
  if (accountIds.length === 0) return new Map();
  const signals = scorecard.signals;
  const windowed = signals.flatMap((signal, i) => {
    const aggregate = aggregateOf(signal, asOf);
    return aggregate ? [sql`${aggregate} as ${sql.ref(`m${i}`)}`] : [];
  });
  const lastSeen = signals.flatMap((signal, i) =>
    signal.metric.aggregate === 'daysSinceLast'
      ? [
          sql`(select max(e.occurred_at) from account_events e
               where e.account_id = a.id and ${inNames(signal)} and e.occurred_at <= ${asOf}::timestamptz)
              as ${sql.ref(`m${i}`)}`,
        ]
      : [],
  );
  const longest = Math.max(0, ...signals.map((s) => s.metric.windowDays ?? 0));
  const names = [...new Set(signals.filter((s) => s.metric.aggregate !== 'daysSinceLast').flatMap(namesOf))];
  const scan =
    windowed.length > 0
      ? sql`left join lateral (
              select ${sql.join(windowed)} from account_events e
              where e.account_id = a.id and e.name in (${sql.join(names)})
                and e.occurred_at <= ${asOf}::timestamptz
                and e.occurred_at > ${new Date(asOf.getTime() - longest * DAY_MS)}::timestamptz
            ) w on true`
      : sql``;
  const result = await sql<Record<string, unknown> & { account_id: string; tracking_start: Date }>`
    select a.id as account_id, least(a.created_at, c.first_occurred_at) as tracking_start
      ${windowed.length > 0 ? sql`, w.*` : sql``}
      ${lastSeen.length > 0 ? sql`, ${sql.join(lastSeen)}` : sql``}
    from accounts a
    left join account_event_counters c on c.account_id = a.id
    ${scan}
    where a.id in (${sql.join(accountIds.map((id) => sql`${id}::uuid`))})`.execute(db);
  return new Map(result.rows.map((row) => [row.account_id, readingsOf(signals, row, asOf)]));
}

function readingsOf(
  signals: readonly Signal[],
  row: Record<string, unknown> & { tracking_start: Date },
  asOf: Date,
): Record<string, MetricReading> {
  const trackedMs = asOf.getTime() - new Date(row.tracking_start).getTime();
  const readings: Record<string, MetricReading> = {};
  signals.forEach((signal, i) => {
    const raw = row[`m${i}`];
    const { aggregate, windowDays } = signal.metric;
    switch (aggregate) {
      case 'count':
      case 'sum':
      case 'distinct':
        readings[signal.id] =
          trackedMs < (windowDays ?? 0) * DAY_MS
            ? { value: null, reason: 'window-not-observed' }
            : { value: Number(raw ?? 0) };
        break;
      case 'latest':
        readings[signal.id] =
          raw === null || raw === undefined ? { value: null, reason: 'no-events' } : { value: Number(raw) };
        break;
      case 'daysSinceLast':
        readings[signal.id] =
          raw === null || raw === undefined
            ? { value: Math.max(0, Math.floor(trackedMs / DAY_MS)), since: 'tracking-start' }
            : { value: Math.max(0, Math.floor((asOf.getTime() - new Date(raw as Date).getTime()) / DAY_MS)) };
        break;
      default: {
        const never: never = aggregate;
        throw new Error(`unknown aggregate ${String(never)}`);
      }
    }
  });
  return readings;
}
