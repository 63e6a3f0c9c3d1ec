import { sql } from 'kysely';
import type { Issue } from '../../engine/errors.js';
import type { AccountEvent } from '../../engine/events/schema.js';
import type { Db } from '../db/database.js';
import { decodeCursor, pageOf, timeKey } from '../db/page-cursor.js';

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

const INSERT_CHUNK = 500;
const keyOf = (accountId: string, idempotencyKey: string) => `${accountId}\u0000${idempotencyKey}`;

/**
 * Stores a batch in one transaction and answers one result per event, in order. All or nothing: an unknown
 * account throws UnknownAccountsError and stores nothing.
 *
 * seq: the account's counter row in account_event_counters is locked (insert … on conflict do update) before
 * anything else, in account-id order (two batches touching the same accounts cannot deadlock), and held until
 * commit. So concurrent writers of one account take turns, the duplicate check below sees every committed key, seq
 * commits in order, and a rollback gives its numbers back — gapless, with no max(seq) scan.
 */
export async function recordEvents(db: Db, events: readonly NewAccountEvent[]): Promise<EventResult[]> {
  if (events.length === 0) return [];
  const accountIds = [...new Set(events.map((e) => e.accountId))].sort();
  try {
    return await db.transaction().execute(async (tx) => {
      const known = await tx.selectFrom('accounts').select('id').where('id', 'in', accountIds).execute();
      if (known.length !== accountIds.length) {
        const found = new Set(known.map((row) => row.id));
        throw new UnknownAccountsError(accountIds.filter((id) => !found.has(id)));
      }
      const counters = await sql<{ account_id: string; last_seq: string | number }>`
        insert into account_event_counters (account_id, last_seq)
        values ${sql.join(accountIds.map((id) => sql`(${id}::uuid, 0)`))}
        on conflict (account_id) do update set last_seq = account_event_counters.last_seq
        returning account_id, last_seq`.execute(tx);
      const lastSeq = new Map(counters.rows.map((row) => [row.account_id, Number(row.last_seq)]));

      const keyed = events.filter((e) => e.idempotencyKey !== undefined);
      const stored = new Map<string, { id: number; seq: number }>();
      if (keyed.length > 0) {
        const rows = await sql<{
          account_id: string;
          idempotency_key: string;
          id: string | number;
          seq: string | number;
        }>`
          select account_id, idempotency_key, id, seq from account_events
          where idempotency_key is not null
            and (account_id, idempotency_key) in (${sql.join(
              keyed.map((e) => sql`(${e.accountId}::uuid, ${e.idempotencyKey})`),
            )})`.execute(tx);
        for (const row of rows.rows) {
          stored.set(keyOf(row.account_id, row.idempotency_key), { id: Number(row.id), seq: Number(row.seq) });
        }
      }

      // Walk in request order: seq follows it per account; a key repeated inside the batch is a duplicate too.
      const plan: { index: number; event: NewAccountEvent; seq: number; firstIndex?: number }[] = [];
      const inBatch = new Map<string, number>();
      const earliest = new Map<string, Date>();
      events.forEach((event, index) => {
        const key = event.idempotencyKey === undefined ? undefined : keyOf(event.accountId, event.idempotencyKey);
        if (key !== undefined && (stored.has(key) || inBatch.has(key))) {
          plan.push({ index, event, seq: -1, firstIndex: inBatch.get(key) });
          return;
        }
        if (key !== undefined) inBatch.set(key, index);
        const seq = lastSeq.get(event.accountId)! + 1;
        lastSeq.set(event.accountId, seq);
        const first = earliest.get(event.accountId);
        if (!first || event.occurredAt < first) earliest.set(event.accountId, event.occurredAt);
        plan.push({ index, event, seq });
      });

      const fresh = plan.filter((p) => p.seq > 0);
      const ids = new Map<number, number>();
      for (let start = 0; start < fresh.length; start += INSERT_CHUNK) {
        const chunk = fresh.slice(start, start + INSERT_CHUNK);
        const inserted = await tx
          .insertInto('account_events')
          .values(
            chunk.map(({ event, seq }) => ({
              account_id: event.accountId,
              seq,
              name: event.name,
              occurred_at: event.occurredAt,
              data: JSON.stringify(event.data),
              idempotency_key: event.idempotencyKey ?? null,
            })),
          )
          .returning(['id'])
          .execute();
        chunk.forEach((p, i) => ids.set(p.index, Number(inserted[i]!.id)));
      }

      if (earliest.size > 0) {
        await sql`
          update account_event_counters c
          set last_seq = v.last_seq,
              first_occurred_at = least(c.first_occurred_at, v.first_occurred_at)
          from (values ${sql.join(
            [...earliest].map(
              ([accountId, first]) =>
                sql`(${accountId}::uuid, ${lastSeq.get(accountId)!}::bigint, ${first}::timestamptz)`,
            ),
          )}) as v(account_id, last_seq, first_occurred_at)
          where c.account_id = v.account_id`.execute(tx);
      }

      return plan.map(({ index, event, seq, firstIndex }): EventResult => {
        if (seq > 0) return { index, id: ids.get(index)!, seq, status: 'accepted', accountId: event.accountId };
        const first =
          firstIndex !== undefined
            ? { id: ids.get(firstIndex)!, seq: plan[firstIndex]!.seq }
            : stored.get(keyOf(event.accountId, event.idempotencyKey!))!;
        return { index, id: first.id, seq: first.seq, status: 'duplicate', accountId: event.accountId };
      });
    });
  } catch (error) {
    // An account deleted between the check and the insert.
    if ((error as { code?: string }).code === '23503') throw new UnknownAccountsError(accountIds);
    throw error;
  }
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
  let query = db
    .selectFrom('account_events')
    .selectAll()
    .select(timeKey('occurred_at').as('cursor_at'))
    .where('account_id', '=', accountId)
    .orderBy('occurred_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(page.limit + 1);
  if (page.cursor) {
    const [at, seq] = decodeCursor(page.cursor, ['time', 'int']);
    query = query.where(sql<boolean>`(occurred_at, seq) < (${at}::timestamptz, ${seq})`);
  }
  return pageOf(
    await query.execute(),
    page.limit,
    ({ cursor_at: _at, ...row }) => toStored(row),
    (row) => [row.cursor_at, Number(row.seq)],
  );
}

/**
 * Turns validated events into NewAccountEvents, looking accounts up by id or externalId. Unknown accounts come back
 * as issues at `pathOf(index)` (events[3].externalId), so a batch can be refused whole with every problem listed.
 */
export async function resolveEventAccounts(
  db: Db,
  events: readonly AccountEvent[],
  opts: { receivedAt: Date; pathOf: (index: number) => string },
): Promise<{ ok: true; events: NewAccountEvent[] } | { ok: false; issues: Issue[] }> {
  const ids = [...new Set(events.flatMap((e) => (e.accountId ? [e.accountId] : [])))];
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
    if (accountId === undefined || (event.accountId !== undefined && !byId.has(event.accountId))) {
      const field = event.accountId !== undefined ? 'accountId' : 'externalId';
      const prefix = opts.pathOf(index);
      issues.push({
        path: prefix ? `${prefix}.${field}` : field,
        code: 'unknown_account',
        message: `no account has ${field} '${event.accountId ?? event.externalId}'`,
      });
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
