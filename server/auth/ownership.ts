import { sql } from 'kysely';
import type { Principal } from './principal.js';
import type { Db } from '../db/database.js';
import { isUuid } from '../db/uuid.js';
import { DomainError, notFound } from '../errors.js';
import { parseRunId } from '../playbooks/run-id.js';

/**
 * Whose accounts something belongs to: the owner CSM(s) it can be traced to (an account's owner, a task's assignee)
 * and the account's CSM manager. A CSM owns it when their email is among `csms`; a manager when they are `manager`,
 * or one of `csms` is in their team (or is them).
 */
export interface AccountOwners {
  csms: (string | null)[];
  manager: string | null;
}

// The ownership rules routes declare (`access.owner`), and the check the gate applies. Each resolver answers whose
// the thing a request touches is, read fresh from the database; a thing that does not exist is not-found for
// everyone, so a CSM learns no more from a 403 than from a 404 of an id they guessed.

const lower = (email: string | null | undefined) => (email ? email.toLowerCase() : null);

/** The owners of a stored account; not found when there is none. */
export async function accountOwners(db: Db, accountId: string): Promise<AccountOwners> {
  const row = isUuid(accountId)
    ? await db
        .selectFrom('accounts')
        .select(['owner_csm_email', 'csm_manager_email'])
        .where('id', '=', accountId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Account ${accountId}`);
  return { csms: [lower(row.owner_csm_email)], manager: lower(row.csm_manager_email) };
}

export async function accountOwnersByExternalId(db: Db, externalId: string): Promise<AccountOwners> {
  const row = await db
    .selectFrom('accounts')
    .select(['owner_csm_email', 'csm_manager_email'])
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  if (!row) throw notFound(`Account with external id ${externalId}`);
  return { csms: [lower(row.owner_csm_email)], manager: lower(row.csm_manager_email) };
}

/**
 * The owners of a playbook run: its account's. A workflow id that is not a playbook run is not found. A run of an
 * account described inline (not stored) has no owner: only roles not bound by ownership act on it.
 */
export async function runOwners(db: Db, workflowId: string): Promise<AccountOwners> {
  const run = parseRunId(workflowId);
  if (!run) throw notFound(`Run ${workflowId}`);
  try {
    return await accountOwners(db, run.accountId);
  } catch {
    return { csms: [], manager: null };
  }
}

/** A task is its account's, and its assignee's too (a manager's task on an account they do not manage). */
export async function taskOwners(db: Db, taskId: string): Promise<AccountOwners> {
  const row = isUuid(taskId)
    ? await db
        .selectFrom('csm_tasks')
        // account_id is text (a run's account may be one described inline, never stored).
        .leftJoin('accounts', (join) => join.on(sql<boolean>`accounts.id::text = csm_tasks.account_id`))
        .select(['csm_tasks.assignee_email', 'accounts.owner_csm_email', 'accounts.csm_manager_email'])
        .where('csm_tasks.id', '=', taskId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Task ${taskId}`);
  return { csms: [lower(row.owner_csm_email), lower(row.assignee_email)], manager: lower(row.csm_manager_email) };
}

/** A playbook email is its account's. */
export async function deliveryOwners(db: Db, outboxId: string): Promise<AccountOwners> {
  const row = isUuid(outboxId)
    ? await db.selectFrom('email_outbox').select('account_id').where('id', '=', outboxId).executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Email ${outboxId}`);
  return accountOwners(db, row.account_id).catch(() => ({ csms: [], manager: null }));
}

/** A person's CSM profile is theirs, and their manager's. */
export async function personOwners(db: Db, email: string): Promise<AccountOwners> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('users as m', 'm.id', 'u.manager_id')
    .select('m.email as manager')
    .where('u.email', '=', email.toLowerCase())
    .executeTakeFirst();
  return { csms: [email.toLowerCase()], manager: lower(row?.manager) };
}

/** For list routes whose ownership is `narrowed`: a caller bound by ownership must name one thing of theirs. */
export function requireFilter(what: string): never {
  throw new DomainError('forbidden', 'forbidden', `A CSM or manager lists ${what}`);
}

/** Roles whose reach is their own accounts (csm) or their team's (manager). */
export const OWNER_BOUND = ['csm', 'manager'] as const;

export function isOwnerBound(principal: Principal): boolean {
  return principal.kind === 'user' && (OWNER_BOUND as readonly string[]).includes(principal.role);
}

/** Whether the caller may act on something with these owners. */
export function owns(principal: Principal, owners: AccountOwners): boolean {
  if (!isOwnerBound(principal) || principal.kind !== 'user') return true;
  const csms = owners.csms.filter((email): email is string => email !== null);
  if (csms.includes(principal.email)) return true;
  if (principal.role !== 'manager') return false;
  return owners.manager === principal.email || csms.some((email) => principal.team.includes(email));
}

/**
 * What a list shows the caller: everything, or the accounts owned by these CSMs or managed by this manager.
 * Handlers of `narrowed` routes apply it in their query.
 */
export type VisibleOwners = 'all' | { csms: string[]; manager: string | null };

export function visibleOwners(principal: Principal | undefined): VisibleOwners {
  if (!principal || !isOwnerBound(principal) || principal.kind !== 'user') return 'all';
  return principal.role === 'manager'
    ? { csms: [principal.email, ...principal.team], manager: principal.email }
    : { csms: [principal.email], manager: null };
}

/** A SQL condition on an accounts row (aliased `accounts`) for `visibleOwners`. */
export function ownedAccountsCondition(visible: Exclude<VisibleOwners, 'all'>) {
  const csms = visible.csms.length > 0 ? visible.csms : [''];
  return visible.manager
    ? sql<boolean>`(lower(accounts.owner_csm_email) in (${sql.join(csms)}) or lower(accounts.csm_manager_email) = ${visible.manager})`
    : sql<boolean>`lower(accounts.owner_csm_email) in (${sql.join(csms)})`;
}

/** The rule of routes about one account, `:id` in the path. */
export const ownAccount = (db: Db) => ({
  what: 'the account',
  // Generic, so the route's own params type is inferred from its schema, not from this rule.
  of: async <I extends { params: { id: string } }>({ params }: I) => [await accountOwners(db, params.id)],
});
