import { z } from 'zod';
import { User, UserInput, UserPatch, UserRole } from '../../../engine/people/user.js';
import { recordAudit } from '../../audit/log.js';
import type { Principal } from '../../auth/principal.js';
import { createUser, findUserRow, pageUsers, toUser, updateUser } from '../../auth/users.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { ADMINS } from '../roles.js';

const UserRef = z.object({ id: z.uuid({ error: 'must be a user id (a UUID)' }) });

/** What a patch changed, for the audit log: old and new values, never the password itself. */
function changes(before: User, after: User, passwordChanged: boolean) {
  const changed: Record<string, unknown> = {};
  for (const key of ['name', 'role', 'managerId', 'active'] as const) {
    if (before[key] !== after[key]) changed[key] = { from: before[key], to: after[key] };
  }
  if (passwordChanged) changed.password = 'changed';
  return changed;
}

export const userRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  const audit = (actor: Principal | undefined, action: string, user: User, detail: Record<string, unknown>) =>
    recordAudit(db, {
      actor: actor!,
      action,
      target: { kind: 'user', id: user.id },
      detail: { email: user.email, ...detail },
    });
  return [
    route({
      method: 'get',
      path: '/api/users',
      tag: 'people',
      access: { roles: ADMINS, scope: 'admin' },
      summary: 'Everyone who can sign in (or signs emails), with their role and manager.',
      query: WholeListPage.extend({ role: UserRole.optional() }),
      response: z.object({ items: z.array(User), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query }) {
        return pageUsers(db, query);
      },
    }),
    route({
      method: 'post',
      path: '/api/users',
      tag: 'people',
      access: { roles: ADMINS, scope: 'admin' },
      summary:
        'Adds a person with a role (and, for a CSM, their manager). An email known only as a CSM profile becomes that user; any other existing email is a 409.',
      body: UserInput,
      status: 201,
      response: User,
      errors: [409, 422],
      async handler({ body, principal }) {
        const user = await createUser(db, body);
        await audit(principal, 'user.created', user, { role: user.role, managerId: user.managerId });
        return user;
      },
    }),
    route({
      method: 'get',
      path: '/api/users/:id',
      tag: 'people',
      access: { roles: ADMINS, scope: 'admin' },
      summary: 'One user.',
      params: UserRef,
      response: User,
      errors: [404],
      async handler({ params }) {
        return toUser(await findUserRow(db, params.id));
      },
    }),
    route({
      method: 'patch',
      path: '/api/users/:id',
      tag: 'people',
      access: { roles: ADMINS, scope: 'admin' },
      summary:
        'Changes a user: name, role, manager, password, or active (false deactivates: their sessions end at once). The last active admin cannot be demoted or deactivated (409).',
      params: UserRef,
      body: UserPatch,
      response: User,
      errors: [404, 409, 422],
      async handler({ params, body, principal }) {
        const { before, after } = await updateUser(db, params.id, body);
        const changed = changes(before, after, body.password !== undefined);
        if (Object.keys(changed).length > 0) await audit(principal, 'user.updated', after, { changed });
        return after;
      },
    }),
  ];
};
