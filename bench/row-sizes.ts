import { sql } from 'kysely';
import type { Db } from '../server/db/database.js';
import { note } from './measure.js';

/**
 * The average stored size of a row of each table (PostgreSQL's own count, `pg_column_size` of the whole row,
 * before indexes and per-page overhead): docs/scaling.md sizes the database from these.
 */
export async function noteRowSizes(db: Db, tables: string[]): Promise<void> {
  const sizes: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ rows: string; bytes: string | null }>`
      select count(*)::text as rows, avg(pg_column_size(t.*))::int::text as bytes from ${sql.table(table)} t`.execute(
      db,
    );
    const row = rows[0];
    if (row && row.bytes !== null) sizes.push(`${table} ${row.bytes} B (${row.rows} rows)`);
  }
  note(`stored row sizes: ${sizes.join(', ')}`);
}
