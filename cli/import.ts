import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportReport } from '../engine/accounts/import-report.js';
import { durationWords } from '../engine/text/words.js';
import { count, counted } from './format.js';
import { readReason, UsageError } from './input.js';
import { failure, ok, reportFailures, send, serverUrl } from './remote.js';

// An import of 10,000 rows takes seconds; a 20 MB file on a busy server may take minutes.
const IMPORT_TIMEOUT_MS = 10 * 60_000;

/**
 * What an accounts import sets in motion, in words: the playbooks its changes start (at most: an enrollment policy
 * may hold some accounts back) and how long handing the accounts to them takes. Nothing for a contacts import.
 */
export function motionLines(report: ImportReport): string[] {
  const lines: string[] = [];
  if (report.enrollments?.length === 0 && report.created + report.updated > 0) {
    lines.push('No published playbook starts from these changes');
  }
  for (const e of report.enrollments ?? []) {
    const example = e.example ? ` (e.g. ${e.example})` : '';
    // True of a real import too: its accounts are handed over after it answers, at a steady pace.
    lines.push(`Will start: ${e.name} for up to ${counted(e.accounts, 'account')}${example}`);
  }
  const handOff = report.handOff;
  if (handOff && handOff.accounts > 0) {
    lines.push(
      `Handing ${counted(handOff.accounts, 'account')} to their playbooks takes about ` +
        `${durationWords(handOff.estimatedSeconds)} (${count(handOff.perSecond)} a second)`,
    );
  }
  return lines;
}

/** Sends a CSV file of accounts (or contacts) to the server's import; exit 1 when any row was rejected. */
export async function importCommand(
  file: string,
  options: { contacts?: boolean; dryRun?: boolean; json?: boolean; server?: string },
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
    const dryRun = options.dryRun === true;
    const answer = await send(server, 'POST', `/api/accounts/import?kind=${kind}${dryRun ? '&dryRun=true' : ''}`, {
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
          `${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected` +
          (dryRun ? ' (dry run: nothing was written)' : ''),
      );
      for (const line of motionLines(report)) console.log(`  ${line}`);
      for (const rejected of report.rejected) {
        const who = [rejected.externalId, rejected.email].filter(Boolean).join(' ');
        const issues = rejected.issues.map((i) => (i.column === null ? i.message : `${i.column}: ${i.message}`));
        console.error(`  row ${rejected.row}${who ? ` (${who})` : ''}: ${issues.join('; ')}`);
      }
    }
    return report.rejected.length === 0 ? 0 : 1;
  });
}
