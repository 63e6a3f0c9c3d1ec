import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { MAX_IMPORT_BYTES } from '../server/accounts/csv-read.js';
import { importCsv } from '../server/accounts/import.js';
import { openDatabase } from '../server/db/database.js';
import { sampleAccountsCsv } from './sample-accounts-csv.js';
import { median, report, time } from './measure.js';

// What a 10,000-row account import costs over the least it could cost: reading the same CSV with the same parser.
// The ratio is what validation, custom-field typing and the database add; it stays meaningful on any machine.
const ROWS = 10_000;
const file = sampleAccountsCsv(ROWS, (i) => `bench-${i}`);
const source = () => Readable.from([Buffer.from(file)]);

async function parseOnly(): Promise<number> {
  let rows = 0;
  for await (const _record of source().pipe(parse({ columns: true }))) rows++;
  return rows;
}

export async function benchCsvImport(): Promise<void> {
  const parses: number[] = [];
  for (let i = 0; i < 3; i++) parses.push(await time(parseOnly));
  const baseline = median(parses);
  const runs: number[] = [];
  const reruns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      runs.push(await time(() => importCsv(database.db, source(), 'accounts', MAX_IMPORT_BYTES)));
      reruns.push(await time(() => importCsv(database.db, source(), 'accounts', MAX_IMPORT_BYTES)));
    } finally {
      await database.close();
    }
  }
  report('CSV import, 10,000 new accounts (PGlite)', 'csv-parse of the same file', baseline, median(runs));
  report('CSV re-import, 10,000 unchanged accounts', 'csv-parse of the same file', baseline, median(reruns));
}
