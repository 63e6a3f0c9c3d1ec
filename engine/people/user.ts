import { z } from 'zod';
import { Email } from '../accounts/schema.js';

// The people who use Stayflow and what each may do (see docs/architecture.md, Access). The role names are the
// server's (server/auth/principal.ts re-exports them); the editor shares these schemas for its forms.

export const UserRole = z.enum(['admin', 'ops', 'manager', 'csm', 'viewer']).meta({
  description:
    'admin: everything; ops: playbooks, templates, scorecard, settings, accounts; manager: their team of CSMs; ' +
    'csm: their own accounts; viewer: reads only.',
});
export type UserRole = z.infer<typeof UserRole>;

const Name = z.string().trim().min(1, { error: 'must not be empty' }).max(200);
const Password = z
  .string()
  .min(12, { error: 'must be at least 12 characters' })
  .max(1024, { error: 'must be at most 1024 characters' });

export const UserInput = z
  .strictObject({
    email: Email,
    name: Name.optional(),
    role: UserRole,
    password: Password.optional().meta({ description: 'Without one the person cannot sign in until one is set.' }),
    managerId: z.uuid({ error: 'must be a user id (a UUID)' }).nullable().optional().meta({
      description: "A CSM's manager (a user with the manager role): the manager's team is their CSMs.",
    }),
  })
  .meta({ id: 'UserInput' });
export type UserInput = z.infer<typeof UserInput>;

export const UserPatch = z
  .strictObject({
    name: Name.nullable().optional(),
    role: UserRole.optional(),
    password: Password.optional(),
    managerId: z.uuid({ error: 'must be a user id (a UUID)' }).nullable().optional(),
    active: z.boolean().optional().meta({ description: 'false deactivates: sessions end, sign-in is refused.' }),
  })
  .meta({ id: 'UserPatch' });
export type UserPatch = z.infer<typeof UserPatch>;

export const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    role: UserRole,
    managerId: z.string().nullable(),
    canSignIn: z.boolean().meta({ description: 'Has a password and is active.' }),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;
