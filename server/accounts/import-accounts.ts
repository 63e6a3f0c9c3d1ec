import { sql } from 'kysely';
import type { z } from 'zod';
import { applyAccountPatch } from '../../engine/accounts/changes.js';
import { checkCustomFields } from '../../engine/accounts/custom-fields.js';
import type { ImportIssue } from '../../engine/accounts/import-report.js';
import type { AccountFieldChanges } from '../../engine/activity-contracts.js';
import {
  AccountInput,
  AccountPatch,
  ExternalId,
  type AccountProperties,
  type CustomFields,
} from '../../engine/accounts/schema.js';
import type { AccountFieldType } from '../../engine/playbook/account-fields.js';
import type { Db } from '../db/database.js';
import { inBatchTransaction } from './dry-run.js';
import { cellValue, numberFormatProblem, snakeName, type CellKind, type CsvColumn, type CsvRow } from './csv-read.js';
import type { RowOutcomes } from './import.js';
import { accountColumns, newAccount, selectAccounts, toAccount } from './rows.js';
import { datesOfNewAccount, fieldChanges } from './store.js';
import { reassignOpenWork } from '../approvals/store.js';

// An accounts file: one row per account, matched to stored accounts by external id. A row states the account as it
// should be for the columns the file has; columns it does not have are left alone. An empty cell means "no value";
// the properties that always have one (name, locale, time zone) keep theirs, and a new account gets the defaults.

const BUILT_IN: Record<keyof Omit<AccountProperties, 'custom'>, CellKind> = {
  externalId: 'text',
  name: 'text',
  segment: 'text',
  ownerCsmName: 'text',
  ownerCsmEmail: 'text',
  csmManagerEmail: 'text',
  locale: 'text',
  timeZone: 'text',
  plan: 'text',
  mrr: 'number',
  startDate: 'text',
  renewalDate: 'text',
  lifecycleStage: 'text',
};
const ALWAYS_VALUED = new Set(['externalId', 'name', 'locale', 'timeZone']);
const KIND_OF_TYPE: Record<AccountFieldType, CellKind> = {
  string: 'text',
  number: 'number',
  boolean: 'boolean',
  date: 'text',
};

const ImportedAccount = AccountPatch.extend({ externalId: ExternalId });

export interface AccountRow {
  row: number;
  externalId: string;
  patch: AccountPatch;
}

export function accountColumnsOf(declared: Readonly<Record<string, AccountFieldType>>): CsvColumn[] {
  return [
    ...Object.entries(BUILT_IN).map(([name, kind]) => ({ name, kind })),
    ...Object.entries(declared).map(([name, type]) => ({ name, kind: KIND_OF_TYPE[type], custom: true })),
  ];
}

/** Issues of a zod error, each under the column it is about (as the file writes it, or snake_case when absent). */
export function columnIssues(error: z.ZodError, written: ReadonlyMap<string, string>): ImportIssue[] {
  return error.issues.map((issue) => {
    const [first, second] = issue.path.map(String);
    const name = first === 'custom' && second !== undefined ? second : first;
    return {
      column: name === undefined ? null : (written.get(name) ?? snakeName(name)),
      message: issue.message,
    };
  });
}

/** Reads one row into a validated patch, or the issues that reject it. */
export function readAccountRow(
  row: CsvRow,
  declared: Readonly<Record<string, AccountFieldType>>,
  written: ReadonlyMap<string, string>,
): { ok: true; value: AccountRow } | { ok: false; externalId?: string; issues: ImportIssue[] } {
  const given: Record<string, unknown> = {};
  const custom: CustomFields = {};
  // Number cells written with a decimal comma or separators: their column's issue says how to write them.
  const numberProblems = new Map<string, string>();
  const noteNumber = (name: string, kind: CellKind, text: string) => {
    const problem = kind === 'number' ? numberFormatProblem(text) : undefined;
    if (problem) numberProblems.set(written.get(name) ?? snakeName(name), problem);
  };
  for (const [name, text] of row.cells) {
    if (Object.prototype.hasOwnProperty.call(BUILT_IN, name)) {
      const kind = BUILT_IN[name as keyof typeof BUILT_IN];
      if (text !== '') given[name] = cellValue(kind, text);
      else if (!ALWAYS_VALUED.has(name)) given[name] = null;
      noteNumber(name, kind, text);
    } else {
      const type = declared[name]!;
      custom[name] = text === '' ? null : (cellValue(KIND_OF_TYPE[type], text) as CustomFields[string]);
      noteNumber(name, KIND_OF_TYPE[type], text);
    }
  }
  if (Object.keys(custom).length > 0) given.custom = custom;
  const externalId = typeof given.externalId === 'string' ? given.externalId : undefined;
  const parsed = ImportedAccount.safeParse(given);
  const issues = [
    ...row.issues,
    ...(parsed.success ? [] : columnIssues(parsed.error, written)),
    ...checkCustomFields(custom, declared).map((issue) => ({
      column: written.get(issue.field) ?? issue.field,
      message: issue.message,
    })),
  ]
    .map((issue) => {
      const problem = issue.column === null ? undefined : numberProblems.get(issue.column);
      return problem ? { ...issue, message: problem } : issue;
    })
    .filter((issue, i, all) => all.findIndex((o) => o.column === issue.column && o.message === issue.message) === i);
  if (!parsed.success || issues.length > 0) return { ok: false, externalId, issues };
  const { externalId: id, ...rest } = parsed.data;
  return { ok: true, value: { row: row.row, externalId: id, patch: { externalId: id, ...rest } } };
}

/**
 * Writes one batch in one transaction: new external ids are created (a new account needs a name), known ones get
 * the row's changes, and a row that changes nothing is counted unchanged and not written. Answers, beside the
 * counts, what changed in each updated account (for its workflow's "field changed" triggers) and, for each of
 * those accounts, how it stands after the write (what the import's forecast matches triggers against).
 */
export async function writeAccountBatch(
  db: Db,
  batch: AccountRow[],
  written: ReadonlyMap<string, string>,
  dryRun = false,
): Promise<RowOutcomes & { changes: AccountFieldChanges[]; after: Map<string, AccountProperties> }> {
  return inBatchTransaction(db, dryRun, async (tx) => {
    const outcomes = { created: 0, updated: 0, unchanged: 0, rejected: [] as RowOutcomes['rejected'] };
    const changes: AccountFieldChanges[] = [];
    const after = new Map<string, AccountProperties>();
    const stored = await selectAccounts(tx)
      .where(
        'external_id',
        'in',
        batch.map((row) => row.externalId),
      )
      .forUpdate()
      .execute();
    const existing = new Map(stored.map((row) => [row.external_id, toAccount(row)]));
    const inserts: AccountProperties[] = [];
    const updates: { id: string; next: AccountProperties }[] = [];
    for (const row of batch) {
      const current = existing.get(row.externalId);
      if (current) {
        const { next, changed } = applyAccountPatch(current, row.patch);
        if (changed.length === 0) outcomes.unchanged++;
        else {
          updates.push({ id: current.id, next });
          changes.push({ accountId: current.id, changed: fieldChanges(current, next, changed) });
          after.set(current.id, next);
        }
        continue;
      }
      const input = AccountInput.safeParse(row.patch);
      if (!input.success) {
        outcomes.rejected.push({
          row: row.row,
          externalId: row.externalId,
          issues: columnIssues(input.error, written).map((issue) => ({
            ...issue,
            message: `${issue.message} for a new account`,
          })),
        });
        continue;
      }
      inserts.push(newAccount(input.data));
    }
    if (inserts.length > 0) {
      const created = await tx
        .insertInto('accounts')
        .values(inserts.map(accountColumns))
        .returning(['id', 'external_id'])
        .execute();
      // A new account's dates are set (from nothing): its workflow hears of them, so a playbook timed from one
      // whose first day is already past (renewal in 45 days) takes the account late, by its catch-up policy.
      const ids = new Map(created.map((row) => [row.external_id, row.id]));
      for (const account of inserts) {
        const dated = datesOfNewAccount(account);
        const id = ids.get(account.externalId);
        if (id && Object.keys(dated).length > 0) {
          changes.push({ accountId: id, changed: dated });
          after.set(id, account);
        }
      }
    }
    if (updates.length > 0) await updateAccounts(tx, updates);
    // As with PATCH: a new owner CSM or manager takes over the account's open approvals and tasks.
    for (const { accountId, changed } of changes) {
      for (const field of ['ownerCsmEmail', 'csmManagerEmail'] as const) {
        const { from, to } = changed[field] ?? {};
        if (typeof from === 'string' && typeof to === 'string') await reassignOpenWork(tx, from, to, { accountId });
      }
    }
    outcomes.created += inserts.length;
    outcomes.updated += updates.length;
    return { ...outcomes, changes, after };
  });
}

// One statement for the whole batch (one UPDATE per row is most of an import's time on PGlite): the rows travel as
// one JSON parameter and jsonb_to_recordset types them.
async function updateAccounts(tx: Db, updates: { id: string; next: AccountProperties }[]): Promise<void> {
  const rows = updates.map(({ id, next }) => ({ id, ...accountColumns(next), custom: next.custom }));
  await sql`
    update accounts as a set
      external_id = v.external_id, name = v.name, segment = v.segment, owner_csm_name = v.owner_csm_name,
      owner_csm_email = v.owner_csm_email, csm_manager_email = v.csm_manager_email, locale = v.locale,
      time_zone = v.time_zone, plan = v.plan, mrr = v.mrr, start_date = v.start_date, renewal_date = v.renewal_date,
      lifecycle_stage = v.lifecycle_stage, custom = v.custom, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
      id uuid, external_id text, name text, segment text, owner_csm_name text, owner_csm_email text,
      csm_manager_email text, locale text, time_zone text, plan text, mrr double precision, start_date date,
      renewal_date date, lifecycle_stage text, custom jsonb)
    where a.id = v.id`.execute(tx);
}
