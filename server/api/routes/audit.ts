import { z } from 'zod';
import { AuditActionFilter, AuditEntry } from '../../../engine/audit/entry.js';
import { listAudit } from '../../audit/log.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
import { CursorParam } from '../paging.js';
import { ADMINS } from '../roles.js';

export const auditRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/audit',
    tag: 'people',
    access: { roles: ADMINS, scope: 'admin' },
    summary:
      'The audit log, newest first: publishes, approval decisions and their edits, scorecard, template and settings changes, tokens, users and roles, failed sign-ins.',
    query: z.object({
      action: AuditActionFilter.optional(),
      actorId: z.string().max(200).optional().meta({ description: 'A user or token id.' }),
      targetKind: z.string().max(50).optional(),
      targetId: z.string().max(400).optional(),
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: CursorParam,
    }),
    response: z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }),
    async handler({ query }) {
      return listAudit(ctx.database.db, query);
    },
  }),
];
