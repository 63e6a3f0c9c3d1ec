import { sql, type Selectable, type Transaction } from 'kysely';
import type { User, UserInput, UserPatch } from '../../engine/people/user.js';
import type { Database, UsersTable } from '../db/schema.js';
import type { Db } from '../db/database.js';
import { isUuid } from '../db/uuid.js';
import { keysetPage } from '../db/page-cursor.js';
import { DomainError, notFound } from '../errors.js';
import { reassignOpenWork } from '../approvals/store.js';
import { hashPassword } from './passwords.js';
import type { Role } from './principal.js';

// The people who sign in. A user is also a CSM profile (name, booking link, signature: server/people/csm-profiles.ts)
// — a CSM known only for their signature is a user without a password.

type UserRow = Selectable<UsersTable>;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role as Role,
  managerId: row.manager_id,
  canSignIn: row.password_hash !== null && row.deactivated_at === null,
  active: row.deactivated_at === null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export async function findUserRow(db: Db, id: string): Promise<UserRow> {
  const row = isUuid(id) ? await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound(`User ${id}`);
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function listUsers(db: Db, filters: { role?: Role } = {}): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().orderBy('email');
  if (filters.role) query = query.where('role', '=', filters.role);
  return (await query.execute()).map(toUser);
}

/** Users by email a page at a time (emails are unique: the key is the email). */
export async function pageUsers(db: Db, filters: { role?: Role; limit: number; cursor?: string }) {
  let query = db.selectFrom('users').selectAll();
  if (filters.role) query = query.where('role', '=', filters.role);
  return keysetPage(query, filters, { order: 'asc', keys: [['email', 'text']], item: toUser });
}

/** The lower-cased emails of a manager's team: the active CSMs that name them as manager. */
export async function teamOf(db: Db, managerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('manager_id', '=', managerId)
    .where('deactivated_at', 'is', null)
    .execute();
  return rows.map((row) => row.email);
}

async function checkManager(db: Db, role: Role, managerId: string | null | undefined) {
  if (managerId === undefined || managerId === null) return;
  if (role !== 'csm') {
    throw new DomainError('unprocessable', 'invalid_manager', 'Only a CSM has a manager (managerId)');
  }
  const manager = await db.selectFrom('users').select('role').where('id', '=', managerId).executeTakeFirst();
  if (!manager || manager.role !== 'manager') {
    throw new DomainError(
      'unprocessable',
      'invalid_manager',
      `managerId ${managerId} is not a user with the manager role`,
    );
  }
}

/**
 * Creates a user. An email already known as a CSM profile without a sign-in (no password, never given a role by an
 * admin) becomes that user, keeping the profile; any other existing email is a 409.
 */
export async function createUser(db: Db, input: UserInput): Promise<User> {
  const email = input.email.trim().toLowerCase();
  await checkManager(db, input.role, input.managerId);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const values = {
    role: input.role,
    ...(input.name !== undefined && { name: input.name }),
    manager_id: input.managerId ?? null,
    password_hash: passwordHash,
  };
  const row = await db
    .insertInto('users')
    .values({ email, ...values })
    .onConflict((oc) =>
      oc
        .column('email')
        .doUpdateSet({ ...values, updated_at: sql<Date>`now()` })
        .where('users.password_hash', 'is', null)
        .where('users.deactivated_at', 'is', null),
    )
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new DomainError('conflict', 'conflict', `A user with the email ${email} already exists`);
  return toUser(row);
}

/** Whether removing this admin (demoting or deactivating) would leave no active admin. */
async function lastAdmin(trx: Transaction<Database>, id: string): Promise<boolean> {
  const { n } = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is', null)
    .where('id', '<>', id)
    .executeTakeFirstOrThrow();
  return Number(n) === 0;
}

/** Changes a user; deactivating or a new password ends their sessions. There is always one active admin left. */
export async function updateUser(db: Db, id: string, patch: UserPatch): Promise<{ before: User; after: User }> {
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before || !isUuid(id)) throw notFound(`User ${id}`);
    const role = (patch.role ?? before.role) as Role;
    const managerId = patch.managerId !== undefined ? patch.managerId : role === 'csm' ? before.manager_id : null;
    await checkManager(trx, role, managerId);
    const removesAdmin =
      before.role === 'admin' && before.deactivated_at === null && (role !== 'admin' || patch.active === false);
    if (removesAdmin && (await lastAdmin(trx, id))) {
      throw new DomainError(
        'conflict',
        'last_admin',
        `${before.email} is the last active admin: make another admin first`,
      );
    }
    const after = await trx
      .updateTable('users')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        role,
        manager_id: managerId,
        ...(passwordHash !== undefined && { password_hash: passwordHash }),
        ...(patch.active !== undefined && {
          deactivated_at: patch.active ? null : (before.deactivated_at ?? sql<Date>`now()`),
        }),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (patch.active === false || passwordHash !== undefined) {
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    if (patch.active === false && before.deactivated_at === null && before.manager_id) {
      // Their open approvals and tasks go to their manager rather than wait on someone who no longer signs in.
      const manager = await trx
        .selectFrom('users')
        .select('email')
        .where('id', '=', before.manager_id)
        .executeTakeFirst();
      if (manager) await reassignOpenWork(trx, before.email, manager.email);
    }
    if (role !== 'manager' && before.role === 'manager') {
      // Their CSMs have no manager any more, rather than a manager who cannot manage.
      await trx.updateTable('users').set({ manager_id: null }).where('manager_id', '=', id).execute();
    }
    return { before: toUser(before), after: toUser(after) };
  });
}

/** Whether any admin exists (first start: then nobody can sign in yet). */
export async function hasAdmin(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  return row !== undefined;
}
