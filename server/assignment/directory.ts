import type { AssignmentDirectory } from '../../engine/playbook/assign-owner.js';
import type { CompileContext } from '../../engine/playbook/ir.js';
import type { Db } from '../db/database.js';
import { isUuid } from '../db/uuid.js';

// The install's people as assignOwner sees them: who may own accounts (active CSMs and managers) and each team (an
// active manager and the active CSMs whose manager they are). Emails are stored lower case (server/auth/users.ts).

/** Roles that may own an account. */
export const OWNER_ROLES = ['csm', 'manager'] as const;

export async function assignmentDirectory(db: Db): Promise<AssignmentDirectory> {
  const people = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'manager_id'])
    .where('deactivated_at', 'is', null)
    .where('role', 'in', [...OWNER_ROLES])
    .orderBy('email')
    .execute();
  const managers = people.filter((p) => p.role === 'manager');
  return {
    csms: Object.fromEntries(people.map((p) => [p.email, { name: p.name }])),
    teams: Object.fromEntries(
      managers.map((m) => [
        m.email,
        {
          name: m.name,
          members: people.filter((p) => p.role === 'csm' && p.manager_id === m.id).map((p) => p.email),
        },
      ]),
    ),
  };
}

/** What the compiler checks assignOwner steps against (validate, publish, the preview's compile). */
export async function assignmentCompilePeople(db: Db): Promise<NonNullable<CompileContext['people']>> {
  const directory = await assignmentDirectory(db);
  return {
    csms: Object.keys(directory.csms),
    teams: Object.fromEntries(Object.entries(directory.teams).map(([manager, team]) => [manager, team.members])),
  };
}

/**
 * The directory for a preview: for a stored account, with its owner now (so "only if unowned" previews what the
 * run would do); for an account described inline, without one.
 */
export async function assignmentPreviewDirectory(db: Db, accountId: string): Promise<AssignmentDirectory> {
  const directory = await assignmentDirectory(db);
  if (!isUuid(accountId)) return directory;
  const account = await db
    .selectFrom('accounts')
    .select('owner_csm_email')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return account ? { ...directory, accountOwner: account.owner_csm_email } : directory;
}
