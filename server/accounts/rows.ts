import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type {
  Account,
  AccountInput,
  AccountProperties,
  Contact,
  ContactInput,
  Locale,
} from '../../engine/accounts/schema.js';
import type { Segment } from '../../engine/playbook/account-fields.js';
import type { Db } from '../db/database.js';
import type { AccountsTable, ContactsTable } from '../db/schema.js';

// Between rows and records. Every read of accounts goes through selectAccounts, so dates always arrive as text.

export function selectAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .select([
      'id',
      'external_id',
      'name',
      'segment',
      'owner_csm_name',
      'owner_csm_email',
      'csm_manager_email',
      'locale',
      'time_zone',
      'plan',
      'mrr',
      'lifecycle_stage',
      'custom',
      'created_at',
      'updated_at',
      sql<string | null>`to_char(start_date, 'YYYY-MM-DD')`.as('start_date'),
      sql<string | null>`to_char(renewal_date, 'YYYY-MM-DD')`.as('renewal_date'),
    ]);
}

export function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    segment: row.segment as Segment | null,
    ownerCsmName: row.owner_csm_name,
    ownerCsmEmail: row.owner_csm_email,
    csmManagerEmail: row.csm_manager_email,
    locale: row.locale as Locale,
    timeZone: row.time_zone,
    plan: row.plan,
    mrr: row.mrr,
    startDate: row.start_date,
    renewalDate: row.renewal_date,
    lifecycleStage: row.lifecycle_stage,
    custom: row.custom,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A new account's properties: what the input leaves out has no value. */
export function newAccount(input: AccountInput): AccountProperties {
  return {
    segment: null,
    ownerCsmName: null,
    ownerCsmEmail: null,
    csmManagerEmail: null,
    plan: null,
    mrr: null,
    startDate: null,
    renewalDate: null,
    lifecycleStage: null,
    ...input,
  };
}

/** A new contact's row; the API and the CSV import insert contacts through this one mapping. */
export function newContactColumns(accountId: string, input: ContactInput, isPrimary: boolean) {
  return {
    account_id: accountId,
    name: input.name,
    email: input.email,
    role: input.role ?? null,
    locale: input.locale ?? null,
    unsubscribed: input.unsubscribed ?? false,
    unsubscribed_at: input.unsubscribed ? sql<Date>`now()` : null,
    is_primary: isPrimary,
  };
}

export function accountColumns(
  account: AccountProperties,
): Insertable<AccountsTable> & Updateable<AccountsTable> & { custom: string } {
  return {
    external_id: account.externalId,
    name: account.name,
    segment: account.segment,
    owner_csm_name: account.ownerCsmName,
    owner_csm_email: account.ownerCsmEmail,
    csm_manager_email: account.csmManagerEmail,
    locale: account.locale,
    time_zone: account.timeZone,
    plan: account.plan,
    mrr: account.mrr,
    start_date: account.startDate,
    renewal_date: account.renewalDate,
    lifecycle_stage: account.lifecycleStage,
    custom: JSON.stringify(account.custom),
  };
}

export function toContact(row: Selectable<ContactsTable>): Contact {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    email: row.email,
    role: row.role,
    locale: row.locale as Locale | null,
    unsubscribed: row.unsubscribed,
    unsubscribedAt: row.unsubscribed_at?.toISOString() ?? null,
    primary: row.is_primary,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Postgres' unique_violation, with the constraint (index) it names. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string } | undefined;
  return e?.code === '23505' ? (e.constraint ?? '') : undefined;
}
