import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

// Kysely's PostgresDialect speaks to a `pg`-style pool. PGlite is one connection, so this pool hands it out to one
// borrower at a time: a transaction (BEGIN … COMMIT on one client) can never interleave with another query.
// Not kysely-pglite-dialect (1.3.1): it declares PGlite ^0.2–^0.4 as a peer (npm refuses 0.5 without
// --legacy-peer-deps), its driver has no savepoints (Kysely's PostgresDriver, used here, does), and it closes PGlite
// without waiting for queued borrowers, where end() below lets the last transaction finish first.
export function pglitePool(pg: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();
  return {
    async connect(): Promise<PostgresPoolClient> {
      let release!: () => void;
      const turn = new Promise<void>((resolve) => (release = resolve));
      const previous = tail;
      tail = previous.then(() => turn);
      await previous;
      const client = {
        async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          const result = await pg.query<R>(sql, parameters as unknown[]);
          const command = (
            sql.trim().split(/\s+/, 1)[0] ?? 'SELECT'
          ).toUpperCase() as PostgresQueryResult<R>['command'];
          return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
        },
        release,
      };
      return client as PostgresPoolClient;
    },
    async end() {
      await tail;
      await pg.close();
    },
  };
}
