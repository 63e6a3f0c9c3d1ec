import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportReport } from '../engine/accounts/import-report.js';
import { readReason, UsageError } from './input.js';
import { failure, ok, reportFailures, send, serverUrl } from './remote.js';

// An import of 10,000 rows takes seconds; a 20 MB file on a busy server may take minutes.
const IMPORT_TIMEOUT_MS = 10 * 60_000;

/** Sends a CSV file of accounts (or contacts) to the server's import; exit 1 when any row was rejected. */
export async function importCommand(
  file: string,
  options: { contacts?: boolean; json?: boolean; server?: string },
): Promise<number> {
  const server = serverUrl(options.server);
  let body: string;
  try {
    body = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${readReason(error)}`);
  }
  const kind = options.contacts ? 'contacts' : 'accounts';
  const name = path.basename(file);
  return reportFailures(file, async () => {
    const answer = await send(server, 'POST', `/api/accounts/import?kind=${kind}`, {
      contentType: 'text/csv',
      body,
      timeoutMs: IMPORT_TIMEOUT_MS,
    });
    if (!ok(answer)) throw failure(`importing ${name}`, answer);
    const report = answer.body as ImportReport;
    if (options.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(
        `${report.rejected.length === 0 ? '✓' : '✗'} ${name} — ${report.rows} ${kind} rows: ${report.created} created, ` +
          `${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected`,
      );
      for (const rejected of report.rejected) {
        const who = [rejected.externalId, rejected.email].filter(Boolean).join(' ');
        const issues = rejected.issues.map((i) => (i.column === null ? i.message : `${i.column}: ${i.message}`));
        console.error(`  row ${rejected.row}${who ? ` (${who})` : ''}: ${issues.join('; ')}`);
      }
    }
    return report.rejected.length === 0 ? 0 : 1;
  });
}
