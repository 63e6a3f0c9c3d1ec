import { sql } from 'kysely';
import type { Issue } from '../../engine/errors.js';
import type { AccountEvent } from '../../engine/events/schema.js';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';

// The account event log. Each account's events carry a gapless `seq` in the order they were recorded (and, within
// one request, in the order they were sent); the per-account entity workflow reads them in that order from
// eventsAfter(). Idempotency keys are unique per account: a key sent again stores nothing and reports the first.

/** An event whose account is known (resolved from accountId or externalId). */
export interface NewAccountEvent {
  accountId: string;
  name: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface EventResult {
  /** Position in the request. */
  index: number;
  id: number;
  seq: number;
  /** `duplicate`: an event with the same account and idempotency key was stored before (id and seq are its). */
  status: 'accepted' | 'duplicate';
  accountId: string;
}

export interface StoredAccountEvent {
  id: number;
  accountId: string;
  seq: number;
  name: string;
  occurredAt: string;
  receivedAt: string;
  data: Record<string, unknown>;
  idempotencyKey: string | null;
}

/** Some events name accounts that do not exist; `issues` say which, by position. */
export class UnknownAccountsError extends Error {
  constructor(readonly accountIds: string[]) {
    super(`unknown account${accountIds.length > 1 ? 's' : ''}: ${accountIds.join(', ')}`);
  }
}

const keyOf = (accountId: string, idempotencyKey: string) => `${accountId}\u0000${idempotencyKey}`;
/** A batch that met a concurrent writer of one of its idempotency keys is planned again this many times at most. */
const KEY_RACE_RETRIES = 5;

/**
 * Stores a batch atomically and answers one result per event, in order. All or nothing: an unknown account throws
 * UnknownAccountsError naming the unknown ones and stores nothing.
 *
 * One statement writes the batch (one more reads the idempotency keys first, when it has any): it bumps each
 * account's counter row in account_event_counters (insert … on conflict do update, in account-id order so two
 * batches touching the same accounts cannot deadlock) and inserts the events numbered from the new counter. The
 * counter row stays locked until that statement commits, so concurrent writers of one account take turns, seq
 * commits in order, and a failure gives its numbers back — gapless, with no max(seq) scan. A key stored by a
 * concurrent writer after the read makes the insert fail on the unique index; the batch is then planned again, and
 * finds that key a duplicate.
 */
export async function recordEvents(db: Db, events: readonly NewAccountEvent[]): Promise<EventResult[]> {
  if (events.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await recordOnce(db, events);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '23503') throw new UnknownAccountsError(await unknownAccounts(db, events));
      if (code === '23505' && attempt < KEY_RACE_RETRIES) continue;
      throw error;
    }
  }
}

/** The accounts of these events that do not exist (all of them, if each exists by now: deleted and raced). */
async function unknownAccounts(db: Db, events: readonly NewAccountEvent[]): Promise<string[]> {
  const accountIds = [...new Set(events.map((e) => e.accountId))].sort();
  const found = new Set(
    (await db.selectFrom('accounts').select('id').where('id', 'in', accountIds).execute()).map((row) => row.id),
  );
  const missing = accountIds.filter((id) => !found.has(id));
  return missing.length > 0 ? missing : accountIds;
}

async function recordOnce(db: Db, events: readonly NewAccountEvent[]): Promise<EventResult[]> {
  const keyed = events.filter((e) => e.idempotencyKey !== undefined);
  const stored = new Map<string, { id: number; seq: number }>();
  if (keyed.length > 0) {
    const rows = await sql<{ account_id: string; idempotency_key: string; id: string | number; seq: string | number }>`
      select account_id, idempotency_key, id, seq from account_events
      where idempotency_key is not null
        and (account_id, idempotency_key) in (${sql.join(
          keyed.map((e) => sql`(${e.accountId}::uuid, ${e.idempotencyKey})`),
        )})`.execute(db);
    for (const row of rows.rows) {
      stored.set(keyOf(row.account_id, row.idempotency_key), { id: Number(row.id), seq: Number(row.seq) });
    }
  }

  // Walk in request order: each account's events are numbered 1..n in it (the statement adds the counter); a key
  // repeated inside the batch is a duplicate too.
  const plan: { index: number; event: NewAccountEvent; nth: number; firstIndex?: number }[] = [];
  const inBatch = new Map<string, number>();
  const perAccount = new Map<string, { count: number; earliest: Date }>();
  events.forEach((event, index) => {
    const key = event.idempotencyKey === undefined ? undefined : keyOf(event.accountId, event.idempotencyKey);
    if (key !== undefined && (stored.has(key) || inBatch.has(key))) {
      plan.push({ index, event, nth: 0, firstIndex: inBatch.get(key) });
      return;
    }
    if (key !== undefined) inBatch.set(key, index);
    const account = perAccount.get(event.accountId);
    if (!account) perAccount.set(event.accountId, { count: 1, earliest: event.occurredAt });
    else {
      account.count += 1;
      if (event.occurredAt < account.earliest) account.earliest = event.occurredAt;
    }
    plan.push({ index, event, nth: perAccount.get(event.accountId)!.count });
  });

  const fresh = plan.filter((p) => p.nth > 0);
  const seqOf = new Map<number, { id: number; seq: number }>();
  if (fresh.length > 0) {
    const accounts = [...perAccount].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const inserted = await sql<{ id: string | number; account_id: string; seq: string | number }>`
      with counters as (
        insert into account_event_counters as c (account_id, last_seq, first_occurred_at)
        values ${sql.join(
          accounts.map(
            ([accountId, { count, earliest }]) => sql`(${accountId}::uuid, ${count}::bigint, ${earliest}::timestamptz)`,
          ),
        )}
        on conflict (account_id) do update
          set last_seq = c.last_seq + excluded.last_seq,
              first_occurred_at = least(c.first_occurred_at, excluded.first_occurred_at)
        returning account_id, last_seq
      )
      insert into account_events (account_id, seq, name, occurred_at, data, idempotency_key)
      select v.account_id, c.last_seq - v.count + v.nth, v.name, v.occurred_at, v.data, v.idempotency_key
      from (values ${sql.join(
        fresh.map(
          (p) =>
            sql`(${p.index}::int, ${p.event.accountId}::uuid, ${p.nth}::bigint, ${perAccount.get(p.event.accountId)!.count}::bigint, ${p.event.name}::text, ${p.event.occurredAt}::timestamptz, ${JSON.stringify(p.event.data)}::jsonb, ${p.event.idempotencyKey ?? null}::text)`,
        ),
      )}) as v(ord, account_id, nth, count, name, occurred_at, data, idempotency_key)
      join counters c on c.account_id = v.account_id
      order by v.ord
      returning id, account_id, seq`.execute(db);
    // Each account's new events hold the last `count` numbers of its counter, in request order: the smallest seq
    // returned for an account is its first event of this batch.
    const firstSeq = new Map<string, number>();
    for (const row of inserted.rows) {
      const seq = Number(row.seq);
      if (seq < (firstSeq.get(row.account_id) ?? Infinity)) firstSeq.set(row.account_id, seq);
    }
    const byNth = new Map(
      inserted.rows.map((row) => [`${row.account_id}:${Number(row.seq) - firstSeq.get(row.account_id)! + 1}`, row]),
    );
    for (const p of fresh) {
      const row = byNth.get(`${p.event.accountId}:${p.nth}`);
      if (!row) throw new Error(`event ${p.index} was not stored`);
      seqOf.set(p.index, { id: Number(row.id), seq: Number(row.seq) });
    }
  }

  return plan.map(({ index, event, nth, firstIndex }): EventResult => {
    if (nth > 0) return { index, ...seqOf.get(index)!, status: 'accepted', accountId: event.accountId };
    const first =
      firstIndex !== undefined ? seqOf.get(firstIndex)! : stored.get(keyOf(event.accountId, event.idempotencyKey!))!;
    return { index, id: first.id, seq: first.seq, status: 'duplicate', accountId: event.accountId };
  });
}

type EventRow = {
  id: string | number;
  account_id: string;
  seq: string | number;
  name: string;
  occurred_at: Date;
  received_at: Date;
  data: Record<string, unknown>;
  idempotency_key: string | null;
};

const toStored = (row: EventRow): StoredAccountEvent => ({
  id: Number(row.id),
  accountId: row.account_id,
  seq: Number(row.seq),
  name: row.name,
  occurredAt: row.occurred_at.toISOString(),
  receivedAt: row.received_at.toISOString(),
  data: row.data,
  idempotencyKey: row.idempotency_key,
});

/** The account's events with seq > `afterSeq`, in seq order: what the entity workflow has not applied yet. */
export async function eventsAfter(
  db: Db,
  accountId: string,
  afterSeq: number,
  limit = 100,
): Promise<StoredAccountEvent[]> {
  const rows = await db
    .selectFrom('account_events')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toStored);
}

/** The account's events, newest first (by when they happened, then by arrival). */
export async function listAccountEvents(db: Db, accountId: string, limit = 50): Promise<StoredAccountEvent[]> {
  return (await pageAccountEvents(db, accountId, { limit })).items;
}

/** An account's events newest first, a page at a time (keyset on time and seq); `nextCursor` is null on the last. */
export async function pageAccountEvents(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: StoredAccountEvent[]; nextCursor: string | null }> {
  return keysetPage(db.selectFrom('account_events').selectAll().where('account_id', '=', accountId), page, {
    order: 'desc',
    keys: [
      ['occurred_at', 'time'],
      ['seq', 'int'],
    ],
    item: toStored,
  });
}

/**
 * Turns validated events into NewAccountEvents, looking accounts up by id or externalId. Unknown accounts come back
 * as issues at `pathOf(index)` (events[3].externalId), so a batch can be refused whole with every problem listed.
 * With `idsCheckedOnWrite`, account ids are taken as given (no query): recordEvents refuses unknown ones, and
 * unknownAccountIssues turns its error into the same issues.
 */
export async function resolveEventAccounts(
  db: Db,
  events: readonly AccountEvent[],
  opts: { receivedAt: Date; pathOf: (index: number) => string; idsCheckedOnWrite?: boolean },
): Promise<{ ok: true; events: NewAccountEvent[] } | { ok: false; issues: Issue[] }> {
  const ids = opts.idsCheckedOnWrite ? [] : [...new Set(events.flatMap((e) => (e.accountId ? [e.accountId] : [])))];
  const externalIds = [...new Set(events.flatMap((e) => (e.externalId ? [e.externalId] : [])))];
  const byId = new Set<string>();
  const byExternalId = new Map<string, string>();
  if (ids.length > 0) {
    for (const row of await db.selectFrom('accounts').select('id').where('id', 'in', ids).execute()) byId.add(row.id);
  }
  if (externalIds.length > 0) {
    const rows = await db
      .selectFrom('accounts')
      .select(['id', 'external_id'])
      .where('external_id', 'in', externalIds)
      .execute();
    for (const row of rows) byExternalId.set(row.external_id, row.id);
  }
  const issues: Issue[] = [];
  const resolved: NewAccountEvent[] = [];
  events.forEach((event, index) => {
    const accountId = event.accountId ?? byExternalId.get(event.externalId!);
    const idKnown = opts.idsCheckedOnWrite || (event.accountId !== undefined && byId.has(event.accountId));
    if (accountId === undefined || (event.accountId !== undefined && !idKnown)) {
      issues.push(unknownAccountIssue(event, opts.pathOf(index)));
      return;
    }
    resolved.push({
      accountId,
      name: event.name,
      occurredAt: event.occurredAt ? new Date(event.occurredAt) : opts.receivedAt,
      data: event.data,
      ...(event.idempotencyKey !== undefined && { idempotencyKey: event.idempotencyKey }),
    });
  });
  return issues.length ? { ok: false, issues } : { ok: true, events: resolved };
}

function unknownAccountIssue(event: AccountEvent, prefix: string): Issue {
  const field = event.accountId !== undefined ? 'accountId' : 'externalId';
  return {
    path: prefix ? `${prefix}.${field}` : field,
    code: 'unknown_account',
    message: `no account has ${field} '${event.accountId ?? event.externalId}'`,
  };
}

/** recordEvents' refusal of unknown account ids as resolveEventAccounts' issues: each event naming one, by position. */
export function unknownAccountIssues(
  events: readonly AccountEvent[],
  error: UnknownAccountsError,
  pathOf: (index: number) => string,
): Issue[] {
  const unknown = new Set(error.accountIds);
  return events.flatMap((event, index) =>
    event.accountId !== undefined && unknown.has(event.accountId) ? [unknownAccountIssue(event, pathOf(index))] : [],
  );
}

/** When the account last had each of these events (by when they happened); names it never had are absent. */
export async function lastEventTimes(
  db: Db,
  accountId: string,
  names: readonly string[],
): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom('account_events')
    .select(['name', (eb) => eb.fn.max('occurred_at').as('last')])
    .where('account_id', '=', accountId)
    .where('name', 'in', [...names])
    .groupBy('name')
    .execute();
  return new Map(rows.map((row) => [row.name, new Date(row.last as unknown as string | Date).toISOString()]));
}
