import { sql } from 'kysely';
import { ownedAccountsCondition, type VisibleOwners } from '../auth/ownership.js';
import { applyAccountPatch } from '../../engine/accounts/changes.js';
import { checkCustomFields } from '../../engine/accounts/custom-fields.js';
import type {
  Account,
  AccountInput,
  AccountPatch,
  AccountProperties,
  CustomFields,
} from '../../engine/accounts/schema.js';
import type { AccountListItem } from '../../engine/accounts/list-item.js';
import type { HealthRiskLevel } from '../../engine/health/scorecard.js';
import type { EnrollmentAccount } from '../../engine/playbook/enrollment.js';
import type { Segment } from '../../engine/playbook/account-fields.js';
import { DomainError, notFound, isDomainError } from '../errors.js';
import type { Db } from '../db/database.js';
import { compileAccountFields } from './field-definitions.js';
import { accountColumns, newAccount, selectAccounts, toAccount, uniqueViolation } from './rows.js';
import { isUuid } from '../db/uuid.js';
import { reassignOpenWork } from '../approvals/store.js';
import { invalidCursor } from '../db/page-cursor.js';

const duplicateExternalId = (externalId: string) =>
  new DomainError(
    'conflict',
    'conflict',
    `An account with external id '${externalId}' already exists; update it (PATCH /api/accounts/{id}) instead`,
  );

/** Refuses custom values that are undeclared or of the wrong type, every problem at once. */
async function checkCustom(db: Db, custom: CustomFields): Promise<void> {
  if (Object.keys(custom).length === 0) return;
  const issues = checkCustomFields(custom, await compileAccountFields(db));
  if (issues.length === 0) return;
  const first = issues[0]!;
  throw new DomainError(
    'invalid',
    'invalid_request',
    `Custom field '${first.field}' ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    issues.map((issue) => ({ path: `custom.${issue.field}`, code: 'invalid_custom_field', message: issue.message })),
  );
}

export async function createAccount(db: Db, input: AccountInput): Promise<Account> {
  await checkCustom(db, input.custom);
  const row = await db
    .insertInto('accounts')
    .values(accountColumns(newAccount(input)))
    .onConflict((oc) => oc.column('external_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) throw duplicateExternalId(input.externalId);
  return findAccount(db, row.id);
}

export async function findAccount(db: Db, id: string): Promise<Account> {
  const row = await selectAccounts(db).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Account ${id}`);
  return toAccount(row);
}

export async function findAccountByExternalId(db: Db, externalId: string): Promise<Account> {
  const row = await selectAccounts(db).where('external_id', '=', externalId).executeTakeFirst();
  if (!row) throw notFound(`Account with external id '${externalId}'`);
  return toAccount(row);
}

/** Applies a partial change and says which fields really changed (what "field changed" triggers listen for). */
export async function patchAccount(
  db: Db,
  id: string,
  patch: AccountPatch,
): Promise<{ account: Account; changed: string[] }> {
  if (patch.custom) await checkCustom(db, patch.custom);
  try {
    return await db.transaction().execute(async (tx) => {
      // The row lock makes concurrent patches apply one after the other, each diffing against the other's result.
      const row = await selectAccounts(tx).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notFound(`Account ${id}`);
      const current = toAccount(row);
      const { next, changed } = applyAccountPatch(current, patch);
      if (changed.length === 0) return { account: current, changed };
      const updated = await tx
        .updateTable('accounts')
        .set({ ...accountColumns(next), updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirstOrThrow();
      // A new owner CSM (or manager) takes over the account's open approvals and tasks with it, in the same
      // transaction: nothing stays in the inbox of someone who no longer holds the account.
      for (const [field, from, to] of [
        ['ownerCsmEmail', current.ownerCsmEmail, next.ownerCsmEmail],
        ['csmManagerEmail', current.csmManagerEmail, next.csmManagerEmail],
      ] as const) {
        if (changed.includes(field) && from && to) await reassignOpenWork(tx, from, to, { accountId: id });
      }
      return {
        account: toAccount(await selectAccounts(tx).where('id', '=', updated.id).executeTakeFirstOrThrow()),
        changed,
      };
    });
  } catch (error) {
    if (uniqueViolation(error) !== undefined && patch.externalId) throw duplicateExternalId(patch.externalId);
    throw error;
  }
}

export interface AccountFilters {
  segment?: Segment;
  /** The owner CSM's email, any case. */
  owner?: string;
  /** Part of the name or of the external id, any case. */
  q?: string;
  /** The level of the account's newest score; `unscored`: accounts never scored. */
  riskLevel?: HealthRiskLevel | 'unscored';
  /** The newest health score at least / at most this (0–100); an account never scored is left out by either. */
  healthMin?: number;
  healthMax?: number;
  /** The lifecycle stage, any case. */
  lifecycleStage?: string;
  /** Renewal date on or after / on or before (YYYY-MM-DD); an account without one is left out by either. */
  renewalFrom?: string;
  renewalTo?: string;
  limit: number;
  cursor?: string;
  /** Only the accounts a CSM or manager may see (server/auth/ownership.ts); unset or 'all': every account. */
  visible?: VisibleOwners;
}

// A cursor is the (name, id) of the last account of a page: pages stay stable while accounts are added.
const encodeCursor = (account: Account) =>
  Buffer.from(JSON.stringify([account.name, account.id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string' && isUuid(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // reported below
  }
  throw invalidCursor();
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Accounts by name, a page at a time, each with its newest health score; `nextCursor` is null on the last page.
 * The score is read in the same query (the newest row per account, by the history index) so the risk level
 * filters the page itself rather than thinning it afterwards.
 */
export async function listAccounts(
  db: Db,
  filters: AccountFilters,
): Promise<{ items: AccountListItem[]; nextCursor: string | null }> {
  let query = selectAccounts(db)
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('account_health')
          .select(['risk_level', 'risk_score', 'health_score', 'computed_at'])
          .whereRef('account_health.account_id', '=', 'accounts.id')
          .orderBy('computed_at', 'desc')
          .orderBy('account_health.id', 'desc')
          .limit(1)
          .as('health'),
      (join) => join.onTrue(),
    )
    .select(['health.risk_level', 'health.risk_score', 'health.health_score', 'health.computed_at'])
    .orderBy('name')
    .orderBy('id')
    .limit(filters.limit + 1);
  if (filters.visible && filters.visible !== 'all') query = query.where(ownedAccountsCondition(filters.visible));
  if (filters.segment) query = query.where('segment', '=', filters.segment);
  if (filters.riskLevel === 'unscored') query = query.where('health.risk_level', 'is', null);
  else if (filters.riskLevel) query = query.where('health.risk_level', '=', filters.riskLevel);
  if (filters.healthMin !== undefined) query = query.where('health.health_score', '>=', filters.healthMin);
  if (filters.healthMax !== undefined) query = query.where('health.health_score', '<=', filters.healthMax);
  if (filters.lifecycleStage) {
    query = query.where(sql`lower(lifecycle_stage)`, '=', filters.lifecycleStage.toLowerCase());
  }
  if (filters.renewalFrom) query = query.where('accounts.renewal_date', '>=', filters.renewalFrom);
  if (filters.renewalTo) query = query.where('accounts.renewal_date', '<=', filters.renewalTo);
  if (filters.owner) query = query.where(sql`lower(owner_csm_email)`, '=', filters.owner.toLowerCase());
  if (filters.q) {
    const pattern = likePattern(filters.q);
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('external_id', 'ilike', pattern)]));
  }
  if (filters.cursor) {
    const [name, id] = decodeCursor(filters.cursor);
    query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(name, id)));
  }
  const rows = (await query.execute()).map((row): AccountListItem => ({
    ...toAccount(row),
    health:
      row.risk_level === null
        ? null
        : {
            riskLevel: row.risk_level as HealthRiskLevel,
            riskScore: row.risk_score!,
            healthScore: row.health_score!,
            computedAt: row.computed_at!.toISOString(),
          },
  }));
  const items = rows.slice(0, filters.limit);
  return { items, nextCursor: rows.length > filters.limit ? encodeCursor(items[items.length - 1]!) : null };
}

/**
 * The account as a run sees it (an AccountSnapshot, typed as the JSON an enrollment carries): `fields` holds the built-in fields under their names (segment, plan, mrr, locale,
 * lifecycleStage, renewalDate, startDate), name and externalId, and the custom fields beside them (their names never
 * collide with those). The id is the stored account's id, which never changes, unlike the external id.
 */
export async function accountSnapshot(db: Db, accountId: string): Promise<EnrollmentAccount> {
  const account = await findAccount(db, accountId);
  return { id: account.id, timeZone: account.timeZone, fields: snapshotFields(account) };
}

/** The account's fields as runs and conditions see them: the built-in ones, custom fields beside them. */
export function snapshotFields(account: AccountProperties): EnrollmentAccount['fields'] {
  return {
    ...account.custom,
    externalId: account.externalId,
    name: account.name,
    segment: account.segment,
    plan: account.plan,
    mrr: account.mrr,
    locale: account.locale,
    lifecycleStage: account.lifecycleStage,
    renewalDate: account.renewalDate,
    startDate: account.startDate,
  };
}

/** The old and new value of each changed name, as the account workflow's fieldsChanged message carries them. */
export function fieldChanges(
  before: AccountProperties,
  after: AccountProperties,
  names: readonly string[],
): Record<string, { from: unknown; to: unknown }> {
  const [from, to] = [snapshotFields(before), snapshotFields(after)];
  return Object.fromEntries(names.map((name) => [name, { from: from[name] ?? null, to: to[name] ?? null }]));
}

/**
 * The dates a new account arrives with, as changed from nothing: its workflow hears of them like an edit, so a
 * playbook timed from one whose first day is already past (renewal in 45 days) takes the account late, by its
 * catch-up policy. The CSV import and POST /api/accounts both tell it this way.
 */
export function datesOfNewAccount(
  account: Pick<AccountProperties, 'renewalDate' | 'startDate'>,
): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(
    (['renewalDate', 'startDate'] as const)
      .filter((name) => account[name])
      .map((name) => [name, { from: null, to: account[name] }]),
  );
}

/** The stored account, or undefined when the run is for an account that is not stored (inline) or was deleted. */
export async function storedAccount(db: Db, accountId: string | undefined): Promise<Account | undefined> {
  // Stored accounts have uuid ids; an account described inline at enrollment may be called anything ("cyberdyne").
  if (!accountId || !isUuid(accountId)) return undefined;
  try {
    return await findAccount(db, accountId);
  } catch (error) {
    if (isDomainError(error, 'not_found')) return undefined;
    throw error;
  }
}

/** One page of account ids in id order, after a cursor: how batches over every account walk the table. */
export async function accountIdsAfter(db: Db, after: string | undefined, limit: number): Promise<string[]> {
  let query = db.selectFrom('accounts').select('id').orderBy('id').limit(limit);
  if (after !== undefined) query = query.where('id', '>', after);
  return (await query.execute()).map((row) => row.id);
}
