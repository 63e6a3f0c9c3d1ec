import { sql, type RawBuilder } from 'kysely';
import { DomainError } from '../errors.js';
import { isUuid } from './uuid.js';

// Keyset paging for every list the API serves: a cursor is the sort key of the last item of a page, so pages stay
// stable while rows come and go (no offsets), and each item is listed exactly once. The key travels opaque
// (base64url JSON) and is checked part by part before it reaches SQL: a cursor nobody gave out is a 400, never a
// database error.

/** How one part of a key is checked: a timestamp keeps Postgres's full precision (µs), as text. */
export type CursorPart = 'text' | 'int' | 'uuid' | 'time';
type PartValue<P extends CursorPart> = P extends 'int' ? number : string;
export type CursorKey<S extends readonly CursorPart[]> = { [I in keyof S]: PartValue<S[I]> };

// A timestamptz as `col::text` writes it: 2026-03-02 09:00:00.123456+00 (or an ISO instant).
const TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

// Date.parse wants 2026-03-02T09:00:00.1+00:00; it is only a check that the day and time exist.
const asIso = (v: string) => v.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');

const valid: Record<CursorPart, (value: unknown) => boolean> = {
  text: (v) => typeof v === 'string' && v.length <= 1000,
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  uuid: (v) => typeof v === 'string' && isUuid(v),
  time: (v) => typeof v === 'string' && TIME.test(v) && !Number.isNaN(Date.parse(asIso(v))),
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

/** A timestamp column as text with its microseconds, for the cursor of the page's last row. */
export const timeKey = (column: string): RawBuilder<string> => sql<string>`${sql.ref(column)}::text`;

/**
 * Rows past the page that ended at the cursor's row, keyed by a timestamp column and the uuid `id`: after it when
 * the list runs oldest first, before it when newest first (the cursor holds `[timeKey(column), id]`).
 */
export function pastTimeAndId(cursor: string, column: string, order: 'asc' | 'desc'): RawBuilder<boolean> {
  const [at, id] = decodeCursor(cursor, ['time', 'uuid']);
  return order === 'asc'
    ? sql<boolean>`(${sql.ref(column)}, id) > (${at}::timestamptz, ${id}::uuid)`
    : sql<boolean>`(${sql.ref(column)}, id) < (${at}::timestamptz, ${id}::uuid)`;
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
