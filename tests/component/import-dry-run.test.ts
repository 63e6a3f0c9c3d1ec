import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportKind } from '../../engine/accounts/import-report.js';
import { MAX_IMPORT_BYTES } from '../../server/accounts/csv-read.js';
import { importCsv } from '../../server/accounts/import.js';
import { findAccountByExternalId, listAccounts } from '../../server/accounts/store.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { isDomainError } from '../../server/errors.js';

// A CSV dry run reports exactly what the import would, and leaves the database as it was: accounts and contacts,
// created, updated, unchanged and rejected rows, and the file-level refusals (not UTF-8).

let database: AppDatabase;
const tag = randomUUID().slice(0, 8);
const ext = (name: string) => `${tag}-${name}`;
const run = (text: string | Buffer, kind: ImportKind, dryRun: boolean, changes: unknown[] = []) =>
  importCsv(database.db, Readable.from([Buffer.from(text)]), kind, MAX_IMPORT_BYTES, (c) => changes.push(c), {
    dryRun,
  });
const snapshot = async () => {
  const [accounts, contacts] = await Promise.all([
    listAccounts(database.db, { q: tag, limit: 500 }),
    database.db.selectFrom('contacts').selectAll().orderBy('id').execute(),
  ]);
  return { accounts: accounts.items, contacts };
};

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await run(
    `external_id,name,mrr\n${ext('kept')},Kept ${tag},100\n${ext('moved')},Moved ${tag},200\n`,
    'accounts',
    false,
  );
});
afterAll(async () => {
  await database?.close();
});

describe('a CSV dry run', () => {
  const accounts = [
    'external_id,name,mrr,segment',
    `${ext('kept')},Kept ${tag},100,`,
    `${ext('moved')},Moved ${tag},250,mid-touch`,
    `${ext('new')},New ${tag},300,tech-touch`,
    `${ext('comma')},Comma ${tag},"1.234,50",tech-touch`,
    `${ext('nameless')},,10,`,
  ].join('\n');

  it('reports every row as the import does, and writes nothing', async () => {
    const before = await snapshot();
    const changes: unknown[] = [];
    const dry = await run(accounts, 'accounts', true, changes);
    expect(await snapshot()).toEqual(before);
    // Nothing was written, so nothing is handed to the engine either.
    expect(changes).toEqual([]);
    const real = await run(accounts, 'accounts', false);
    expect(dry).toEqual(real);
    expect(real).toMatchObject({ rows: 5, created: 1, updated: 1, unchanged: 1 });
    expect(real.rejected.map((r) => r.row)).toEqual([5, 6]);
    expect(real.rejected[0]!.issues).toEqual([
      {
        column: 'mrr',
        message: expect.stringMatching(
          /^'1\.234,50' is not a number as CSV files write them: use a point for decimals/,
        ),
      },
    ]);
    expect((await findAccountByExternalId(database.db, ext('moved'))).mrr).toBe(250);
  });

  it('checks contacts the same way, against accounts as they stand', async () => {
    const contacts = [
      'account_external_id,email,name,primary',
      `${ext('kept')},ana-${tag}@kept.example,Ana,true`,
      `${ext('kept')},bea-${tag}@kept.example,Bea,`,
      `${ext('ghost')},carl-${tag}@ghost.example,Carl,`,
    ].join('\n');
    const before = await snapshot();
    const dry = await run(contacts, 'contacts', true);
    expect(await snapshot()).toEqual(before);
    expect(dry).toEqual(await run(contacts, 'contacts', false));
    expect(dry).toMatchObject({ created: 2, rejected: [{ row: 4, externalId: ext('ghost') }] });
  });

  it('refuses a file that is not UTF-8, naming the line, before anything is read into the database', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`external_id,name\n${ext('x')},Caf`),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    for (const dryRun of [true, false]) {
      const failure = await run(latin1, 'accounts', dryRun).catch((error: unknown) => error);
      expect(isDomainError(failure, 'invalid')).toBe(true);
      expect((failure as Error).message).toMatch(
        /^Nothing was imported: line 2 has a byte \(0xE9\) that is not UTF-8 text/,
      );
    }
    await expect(findAccountByExternalId(database.db, ext('x'))).rejects.toThrow(/not found|No account|external id/);
  });
});
