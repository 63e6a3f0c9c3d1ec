import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { pglitePool } from './pglite-pool.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface AppDatabase {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data is, without credentials, for logs and /api/health. */
  location: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {}

/**
 * Opens the app database: a PostgreSQL server when `databaseUrl` is given, else PGlite (PostgreSQL compiled to
 * WebAssembly, in-process) under `dataDir` — or in memory when `dataDir` is `memory://`. Migrations run before
 * this returns, so callers always see the current schema.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<AppDatabase> {
  let database: AppDatabase;
  if (opts.databaseUrl) {
    const url = new URL(opts.databaseUrl);
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server must not crash the process; the next query reports it instead.
    pool.on('error', () => undefined);
    database = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      kind: 'postgres',
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      ping: async () => void (await pool.query('select 1')),
      close: () => pool.end(),
    };
  } else {
    const inMemory = opts.dataDir === 'memory://';
    const dir = inMemory ? 'memory://' : path.join(opts.dataDir, 'pglite');
    if (!inMemory) await mkdir(dir, { recursive: true });
    const pglite = await PGlite.create(dir);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
    database = {
      db,
      kind: 'pglite',
      location: dir,
      ping: async () => void (await sql`select 1`.execute(db)),
      close: () => db.destroy(),
    };
  }
  try {
    await database.ping();
    await migrate(database.db);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new DatabaseUnavailableError(
      `database at ${database.location} is not usable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return database;
}

export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
