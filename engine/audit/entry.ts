import { z } from 'zod';

// The audit log as the API answers it: who did what to what, when. The server writes and pages it
// (server/audit/log.ts); the web app's audit page reads it with this type.

export const AuditActorKind = z.enum(['user', 'token', 'system', 'anonymous']);
export type AuditActorKind = z.infer<typeof AuditActorKind>;

export const AuditEntry = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.object({
      kind: AuditActorKind,
      id: z.string().nullable(),
      name: z.string(),
    }),
    action: z.string(),
    target: z.object({ kind: z.string(), id: z.string() }).nullable(),
    detail: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

/** An action filter: one action (`playbook.published`) or a family (`token.*`). */
export const AuditActionFilter = z
  .string()
  .regex(/^[a-z_]+(\.[a-z_]+|\.\*)?$/, { error: 'must be an action such as playbook.published, or token.*' });
