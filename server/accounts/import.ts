import type { Readable } from 'node:stream';
import type { ImportKind, ImportReport, RejectedRow } from '../../engine/accounts/import-report.js';
import type { AccountFieldChanges } from '../../engine/activity-contracts.js';
import type { Db } from '../db/database.js';
import { readCsv } from './csv-read.js';
import { compileAccountFields } from './field-definitions.js';
import { accountColumnsOf, readAccountRow, writeAccountBatch, type AccountRow } from './import-accounts.js';
import { handOffEstimate, startImportForecast } from './import-forecast.js';
import { CONTACT_COLUMNS, contactKey, readContactRow, writeContactBatch, type ContactRow } from './import-contacts.js';

/** What writing some rows did; batches add theirs up into the report. */
export type RowOutcomes = Pick<ImportReport, 'created' | 'updated' | 'unchanged' | 'rejected'>;

// Rows per transaction: big enough that 10,000 rows take a few dozen round trips, small enough that PGlite's one
// connection is never held long by an import while runs and API requests wait for it.
const BATCH_ROWS = 500;

/**
 * Imports a CSV file of accounts or contacts; idempotent (accounts by external id, contacts by account and email),
 * so running a file twice reports every row unchanged the second time.
 *
 * The file is read and every row checked before anything is written: a file that is not CSV, too large or with a
 * column Stayflow does not know changes nothing. Then the valid rows are written in batches, one transaction each;
 * a rejected row changes nothing, and the report says why, by row and column.
 */
export async function importCsv(
  db: Db,
  source: Readable,
  kind: ImportKind,
  maxBytes: number,
  /** Told, after each committed batch, which accounts' fields it changed (not called for a batch with none). */
  onChanges?: (changes: AccountFieldChanges[]) => void,
  /**
   * dryRun: every check and every write of the real import, each batch rolled back instead of committed — the
   * report is the one the import would give, and nothing changes (onChanges is not called).
   * handOffPerSecond: the pace the changes will be handed over at (an accounts report then says how long it takes).
   */
  options: { dryRun?: boolean; handOffPerSecond?: number } = {},
): Promise<ImportReport> {
  const dryRun = options.dryRun ?? false;
  const rejected: RejectedRow[] = [];
  let rows = 0;
  const firstRowOf = new Map<string, number>();
  // A second row for the same record would make the result depend on row order: it is rejected instead.
  const once = (key: string, row: number, column: string, what: string) => {
    const first = firstRowOf.get(key);
    if (first === undefined) {
      firstRowOf.set(key, row);
      return undefined;
    }
    return { column, message: `${what} is already on row ${first}; each may appear once per file` };
  };

  if (kind === 'accounts') {
    const declared = await compileAccountFields(db);
    const valid: AccountRow[] = [];
    const header = await readCsv(
      source,
      { columns: accountColumnsOf(declared), required: ['externalId'], what: 'Account', maxBytes },
      (row, { written }) => {
        rows++;
        const read = readAccountRow(row, declared, written);
        if (!read.ok) return void rejected.push({ row: row.row, externalId: read.externalId, issues: read.issues });
        const twice = once(
          read.value.externalId,
          row.row,
          written.get('externalId')!,
          `external id '${read.value.externalId}'`,
        );
        if (twice) return void rejected.push({ row: row.row, externalId: read.value.externalId, issues: [twice] });
        valid.push(read.value);
      },
    );
    // Read before the first write, as the changed accounts' workflows will read them: what would start.
    const forecast = await startImportForecast(db);
    let forecastFailed = false;
    const outcomes = await inBatches(valid, rejected, async (batch) => {
      const { changes, after, ...counts } = await writeAccountBatch(db, batch, header.written, dryRun);
      // The batch is committed: its changes go to the engine before anything else can fail.
      if (changes.length > 0 && !dryRun) onChanges?.(changes);
      // What the import sets in motion is told, not needed: a forecast that fails is left out of the report.
      await forecast.add(changes, after).catch(() => {
        forecastFailed = true;
      });
      return counts;
    });
    const perSecond = options.handOffPerSecond;
    return {
      kind,
      rows,
      ...outcomes,
      ...(!forecastFailed && { enrollments: forecast.enrollments() }),
      ...(perSecond !== undefined && { handOff: handOffEstimate(forecast.accounts, perSecond) }),
    };
  }

  const valid: ContactRow[] = [];
  const header = await readCsv(
    source,
    { columns: CONTACT_COLUMNS, required: ['accountExternalId', 'email'], what: 'Contact', maxBytes },
    (row, { written }) => {
      rows++;
      const read = readContactRow(row, written);
      if (!read.ok) {
        return void rejected.push({
          row: row.row,
          externalId: read.externalId,
          email: read.email,
          issues: read.issues,
        });
      }
      const { accountExternalId, email, patch } = read.value;
      const twice =
        once(
          contactKey(accountExternalId, email),
          row.row,
          written.get('email')!,
          `contact ${email} of account '${accountExternalId}'`,
        ) ??
        (patch.primary === true
          ? once(
              `primary\n${accountExternalId}`,
              row.row,
              written.get('primary')!,
              `a primary contact for account '${accountExternalId}'`,
            )
          : undefined);
      if (twice) return void rejected.push({ row: row.row, externalId: accountExternalId, email, issues: [twice] });
      valid.push(read.value);
    },
  );
  return {
    kind,
    rows,
    ...(await inBatches(valid, rejected, (batch) => writeContactBatch(db, batch, header.written, dryRun))),
  };
}

async function inBatches<Row>(
  valid: Row[],
  rejected: RejectedRow[],
  write: (batch: Row[]) => Promise<RowOutcomes>,
): Promise<RowOutcomes> {
  const total: RowOutcomes = { created: 0, updated: 0, unchanged: 0, rejected };
  for (let start = 0; start < valid.length; start += BATCH_ROWS) {
    const outcomes = await write(valid.slice(start, start + BATCH_ROWS));
    total.created += outcomes.created;
    total.updated += outcomes.updated;
    total.unchanged += outcomes.unchanged;
    total.rejected.push(...outcomes.rejected);
  }
  total.rejected.sort((a, b) => a.row - b.row);
  return total;
}
