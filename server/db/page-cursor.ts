import { sql, type Expression, type SelectQueryBuilder, type StringReference } from 'kysely';
import { DomainError } from '../errors.js';
import { isUuid } from './uuid.js';

// Keyset paging for every list the API serves: a cursor is the sort key of the last item of a page, so pages stay
// stable while rows come and go (no offsets), and each item is listed exactly once. The key travels opaque
// (base64url JSON) and is checked part by part before it reaches SQL: a cursor nobody gave out is a 400, never a
// database error.

/**
 * How one part of a key is checked: a timestamp keeps Postgres's full precision (µs), as text; a bigint travels as
 * its decimal text, since a JSON number past 2^53 would come back as another number.
 */
export type CursorPart = 'text' | 'int' | 'bigint' | 'uuid' | 'time';
type PartValue<P extends CursorPart> = P extends 'int' ? number : string;
export type CursorKey<S extends readonly CursorPart[]> = { [I in keyof S]: PartValue<S[I]> };

// A timestamptz as `col::text` writes it: 2026-03-02 09:00:00.123456+00 (or an ISO instant).
const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

// Every field in range, as Postgres wants it. Date.parse is no check: it takes 2026-02-30 (and year 0), which
// Postgres refuses with an error, so the day is checked against its month here.
function isTime(value: string): boolean {
  const m = TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m
    .slice(1)
    .map((field) => Number(field ?? 0)) as [number, number, number, number, number, number, number, number];
  const days = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return (
    year >= 1 &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59
  );
}

const valid: Record<CursorPart, (value: unknown) => boolean> = {
  // Postgres refuses a NUL in text: a cursor carrying one would be a database error, not a 400.
  text: (v) => typeof v === 'string' && v.length <= 1000 && !v.includes('\u0000'),
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  bigint: (v) => typeof v === 'string' && /^\d{1,18}$/.test(v),
  uuid: (v) => typeof v === 'string' && isUuid(v),
  time: (v) => typeof v === 'string' && isTime(v),
};

export const invalidCursor = () =>
  new DomainError('invalid', 'invalid_cursor', 'The cursor is not one this API gave out; start again without it');

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor carries, shaped as `shape` says; anything else is a 400 (`invalid_cursor`). */
export function decodeCursor<const S extends readonly CursorPart[]>(cursor: string, shape: S): CursorKey<S> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(value) || value.length !== shape.length) throw invalidCursor();
  if (!shape.every((part, i) => valid[part](value[i]))) throw invalidCursor();
  return value as CursorKey<S>;
}

/**
 * One part of a list's sort key: a column (or an expression, as the task inbox's open-first rank) and what its
 * cursor part is. The parts together must be unique per row (end with the id, or be a unique column), or rows that
 * tie are listed twice or never.
 */
export type KeyPart<DB, TB extends keyof DB> = readonly [StringReference<DB, TB> | Expression<unknown>, CursorPart];
type KeyColumn = string | Expression<unknown>;

const refOf = (column: KeyColumn) => (typeof column === 'string' ? sql.ref(column) : column);

// What the cursor keeps of a key part: the text of a timestamp (µs) and of a bigint, the value itself otherwise.
const keyOf = (column: KeyColumn, part: CursorPart) =>
  part === 'time' || part === 'bigint' ? sql`${refOf(column)}::text` : sql`${refOf(column)}`;

// A checked cursor part as a typed parameter, so the row comparison compares like with like.
const paramOf = (part: CursorPart, value: string | number) => {
  if (part === 'time') return sql`${value}::timestamptz`;
  if (part === 'uuid') return sql`${value}::uuid`;
  if (part === 'bigint') return sql`${value}::bigint`;
  return sql`${value}`;
};

/**
 * Rows past the page that ended at the cursor's row: after its key when the list runs ascending, before it when
 * descending (one row comparison, which a btree index on the key columns serves).
 */
function pastKey(cursor: string, keys: readonly (readonly [KeyColumn, CursorPart])[], order: 'asc' | 'desc') {
  const key = decodeCursor(
    cursor,
    keys.map(([, part]) => part),
  );
  const columns = sql.join(keys.map(([column]) => refOf(column)));
  const values = sql.join(keys.map(([, part], i) => paramOf(part, key[i]!)));
  return order === 'asc' ? sql<boolean>`(${columns}) > (${values})` : sql<boolean>`(${columns}) < (${values})`;
}

/**
 * One page of `query` by keyset: the rows past `page.cursor` in key order (every part `order`), `page.limit` of them,
 * each made an item, and the cursor of the last when there are more. The helper owns the query's order and limit;
 * the caller brings the selection and its filters. A cursor that does not fit `keys` is a 400 (`invalid_cursor`).
 */
export async function keysetPage<DB, TB extends keyof DB, O, T>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: { limit: number; cursor?: string },
  sort: { order: 'asc' | 'desc'; keys: readonly KeyPart<DB, TB>[]; item: (row: O) => T },
): Promise<{ items: T[]; nextCursor: string | null }> {
  const { order, keys, item } = sort;
  // The key is selected beside the row under names no table uses, and taken off before `item` sees the row.
  const aliases = keys.map((_, i) => `keyset_part_${i}`);
  let q = query.select(keys.map(([column, part], i) => keyOf(column, part).as(aliases[i]!)));
  if (page.cursor) q = q.where(pastKey(page.cursor, keys, order));
  for (const [column] of keys) q = q.orderBy(refOf(column), order);
  const rows = (await q.limit(page.limit + 1).execute()) as Record<string, unknown>[];
  return pageOf(
    rows,
    page.limit,
    (row) => item(Object.fromEntries(Object.entries(row).filter(([name]) => !aliases.includes(name))) as O),
    (row) => keys.map(([, part], i) => (part === 'int' ? Number(row[aliases[i]!]) : String(row[aliases[i]!]))),
  );
}

/**
 * One page from `limit + 1` rows: the first `limit`, and the cursor of the last of them when there are more.
 */
export function pageOf<R, T>(
  rows: readonly R[],
  limit: number,
  item: (row: R) => T,
  key: (row: R) => readonly (string | number)[],
): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(item), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
