import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { ImportIssue } from '../../engine/accounts/import-report.js';
import { Contact, ContactInput, ContactPatch, ExternalId } from '../../engine/accounts/schema.js';
import type { Db } from '../db/database.js';
import type { ContactsTable } from '../db/schema.js';
import { inBatchTransaction } from './dry-run.js';
import { cellValue, snakeName, type CellKind, type CsvColumn, type CsvRow } from './csv-read.js';
import { columnIssues } from './import-accounts.js';
import { newContactColumns } from './rows.js';
import type { RowOutcomes } from './import.js';

// A contacts file: one row per contact, the account named by its external id, the contact matched by email (any
// case). An empty cell means "no value"; name keeps its value. `primary` and `unsubscribed` act only when true: a
// spreadsheet that says nothing must not move the primary flag, and an import must never re-subscribe someone who
// unsubscribed (that is their decision, taken through the unsubscribe link).

const COLUMNS: Record<string, CellKind> = {
  accountExternalId: 'text',
  name: 'text',
  email: 'text',
  role: 'text',
  locale: 'text',
  primary: 'boolean',
  unsubscribed: 'boolean',
};
export const CONTACT_COLUMNS: CsvColumn[] = Object.entries(COLUMNS).map(([name, kind]) => ({ name, kind }));

const ImportedContact = ContactPatch.extend({ accountExternalId: ExternalId, email: Contact.shape.email });

export interface ContactRow {
  row: number;
  accountExternalId: string;
  email: string;
  patch: ContactPatch;
}

export function readContactRow(
  row: CsvRow,
  written: ReadonlyMap<string, string>,
): { ok: true; value: ContactRow } | { ok: false; externalId?: string; email?: string; issues: ImportIssue[] } {
  const given: Record<string, unknown> = {};
  for (const [name, text] of row.cells) {
    const value = text === '' ? null : cellValue(COLUMNS[name]!, text);
    if (name === 'primary' || name === 'unsubscribed') {
      if (value !== null && value !== false) given[name] = value;
    } else if (value !== null) given[name] = value;
    else if (name === 'role' || name === 'locale') given[name] = null;
  }
  const externalId = typeof given.accountExternalId === 'string' ? given.accountExternalId : undefined;
  const email = typeof given.email === 'string' ? given.email : undefined;
  const parsed = ImportedContact.safeParse(given);
  const issues = [...row.issues, ...(parsed.success ? [] : columnIssues(parsed.error, written))];
  if (!parsed.success || issues.length > 0) return { ok: false, externalId, email, issues };
  const { accountExternalId, ...patch } = parsed.data;
  return { ok: true, value: { row: row.row, accountExternalId, email: parsed.data.email, patch } };
}

export const contactKey = (accountExternalId: string, email: string) => `${accountExternalId}\n${email.toLowerCase()}`;

interface Insert {
  id: string;
  accountId: string;
  input: ContactInput;
}

/**
 * Writes one batch in one transaction, the batch's accounts locked (as the contacts API does), so the primary flag
 * moves exactly as it would through the API: a row with primary=true takes it, and an account's first contact gets
 * it when no contact has it.
 */
export async function writeContactBatch(
  db: Db,
  batch: ContactRow[],
  written: ReadonlyMap<string, string>,
  dryRun = false,
): Promise<RowOutcomes> {
  return inBatchTransaction(db, dryRun, async (tx) => {
    const outcomes: RowOutcomes = { created: 0, updated: 0, unchanged: 0, rejected: [] };
    const accounts = await tx
      .selectFrom('accounts')
      .select(['id', 'external_id'])
      .where('external_id', 'in', [...new Set(batch.map((row) => row.accountExternalId))])
      .orderBy('id')
      .forUpdate()
      .execute();
    const accountIds = new Map(accounts.map((a) => [a.external_id, a.id]));
    const stored =
      accounts.length === 0
        ? []
        : await tx
            .selectFrom('contacts')
            .selectAll()
            .where(
              'account_id',
              'in',
              accounts.map((a) => a.id),
            )
            .execute();
    const byEmail = new Map(stored.map((c) => [`${c.account_id}\n${c.email.toLowerCase()}`, c]));
    // The primary contact of each account as the batch leaves it.
    const primaryOf = new Map<string, string | null>(accounts.map((a) => [a.id, null]));
    for (const contact of stored) if (contact.is_primary) primaryOf.set(contact.account_id, contact.id);
    const formerPrimary = new Map(primaryOf);

    const inserts: Insert[] = [];
    const updates: { current: Selectable<ContactsTable>; patch: ContactPatch; changed: boolean }[] = [];
    for (const row of batch) {
      const accountId = accountIds.get(row.accountExternalId);
      if (!accountId) {
        outcomes.rejected.push({
          row: row.row,
          externalId: row.accountExternalId,
          email: row.email,
          issues: [
            {
              column: written.get('accountExternalId') ?? snakeName('accountExternalId'),
              message: `no account has the external id '${row.accountExternalId}' (import the accounts first)`,
            },
          ],
        });
        continue;
      }
      const current = byEmail.get(`${accountId}\n${row.email.toLowerCase()}`);
      if (current) {
        const { patch } = row;
        const changed =
          (patch.name !== undefined && patch.name !== current.name) ||
          (patch.role !== undefined && patch.role !== current.role) ||
          (patch.locale !== undefined && patch.locale !== current.locale) ||
          (patch.unsubscribed === true && !current.unsubscribed) ||
          (patch.primary === true && primaryOf.get(accountId) !== current.id);
        if (patch.primary === true) primaryOf.set(accountId, current.id);
        updates.push({ current, patch, changed });
        continue;
      }
      const input = ContactInput.safeParse(row.patch);
      if (!input.success) {
        outcomes.rejected.push({
          row: row.row,
          externalId: row.accountExternalId,
          email: row.email,
          issues: columnIssues(input.error, written).map((issue) => ({
            ...issue,
            message: `${issue.message} for a new contact`,
          })),
        });
        continue;
      }
      const id = randomUUID();
      if (input.data.primary === true || primaryOf.get(accountId) === null) primaryOf.set(accountId, id);
      inserts.push({ id, accountId, input: input.data });
    }

    // Flags leave before they arrive: the unique index allows one primary per account at every moment.
    const losing = [...formerPrimary].filter(([account, id]) => id !== null && primaryOf.get(account) !== id);
    if (losing.length > 0) {
      await tx
        .updateTable('contacts')
        .set({ is_primary: false, updated_at: sql<Date>`now()` })
        .where(
          'id',
          'in',
          losing.map(([, id]) => id!),
        )
        .execute();
    }
    if (inserts.length > 0) {
      await tx
        .insertInto('contacts')
        .values(
          inserts.map(({ id, accountId, input }) => ({
            id,
            ...newContactColumns(accountId, input, primaryOf.get(accountId) === id),
          })),
        )
        .execute();
    }
    const changedRows = updates.filter((update) => update.changed);
    outcomes.unchanged += updates.length - changedRows.length;
    outcomes.updated += changedRows.length;
    if (changedRows.length > 0) {
      const rows = changedRows.map(({ current, patch }) => ({
        id: current.id,
        name: patch.name ?? current.name,
        role: patch.role === undefined ? current.role : patch.role,
        locale: patch.locale === undefined ? current.locale : patch.locale,
        unsubscribing: patch.unsubscribed === true && !current.unsubscribed,
        is_primary: primaryOf.get(current.account_id) === current.id,
      }));
      // One statement for the batch, as for accounts; an import only ever sets `unsubscribed`, never clears it.
      await sql`
        update contacts as c set
          name = v.name, role = v.role, locale = v.locale, is_primary = v.is_primary, updated_at = now(),
          unsubscribed = c.unsubscribed or v.unsubscribing,
          unsubscribed_at = case when v.unsubscribing then now() else c.unsubscribed_at end
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as v(id uuid, name text, role text, locale text, unsubscribing boolean, is_primary boolean)
        where c.id = v.id`.execute(tx);
    }
    outcomes.created += inserts.length;
    return outcomes;
  });
}
