import { z } from 'zod';
import { Approval, ApprovalValueSchema } from '../../../engine/approvals/record.js';
import { DomainError } from '../../errors.js';
import type { AppContext } from '../../context.js';
import type { Principal } from '../../auth/principal.js';
import { decideApproval } from '../../approvals/decide.js';
import { approvalCounts, INBOX_VIEWS, listApprovals } from '../../approvals/inbox.js';
import { approvalPeople, findApproval } from '../../approvals/store.js';
import { route } from '../route.js';
import { CursorParam } from '../paging.js';
import { EVERYONE } from '../roles.js';

// Filter values are compared, never interpolated; still, ids and keys have a plain shape.
const Key = z.string().trim().min(1).max(400);

const ApprovalRef = z.object({ id: z.uuid({ error: 'must be an approval id (a UUID)' }) });

/** Unknown keys are refused (400): a misspelt `value` must not be taken for "no edits". */
const Decision = z
  .strictObject({
    decision: z.enum(['approved', 'rejected']),
    values: z
      .record(z.string().max(40), ApprovalValueSchema)
      .optional()
      .meta({ description: 'Edits of the parameters, e.g. { "discount": 15 }; out of bounds → 422 naming the bound.' }),
    reason: z.string().trim().max(2000, { error: 'must be at most 2000 characters' }).optional(),
  })
  .meta({ id: 'ApprovalDecision' });

const caller = (principal: Principal | undefined): Principal => {
  if (!principal) throw new DomainError('unauthenticated', 'unauthorized', 'Sign in to see approvals');
  return principal;
};

export const approvalRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/approvals',
      tag: 'approvals',
      access: { roles: EVERYONE, scope: 'read', owner: { what: 'the listed approvals', narrowed: true } },
      summary:
        'The approvals inbox: mine (waiting on me), team (on my team), overdue, decided, or open (every open one I may see); open ones soonest due first, decided ones newest first.',
      query: z.object({
        view: z.enum(INBOX_VIEWS).default('mine'),
        account: Key.optional(),
        playbook: Key.optional(),
        run: Key.optional().meta({ description: "A run's workflow id: its approvals." }),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: CursorParam,
      }),
      response: z.object({ items: z.array(Approval), nextCursor: z.string().nullable() }),
      errors: [400],
      async handler({ query, principal }) {
        return listApprovals(db, caller(principal), query);
      },
    }),
    route({
      method: 'get',
      path: '/api/approvals/counts',
      tag: 'approvals',
      access: { roles: EVERYONE, scope: 'read', owner: { what: 'the counted approvals', narrowed: true } },
      summary: 'How many approvals wait on me, on my team, are overdue, and were decided (the inbox badges).',
      response: z.object({ mine: z.number(), team: z.number(), overdue: z.number(), decided: z.number() }),
      async handler({ principal }) {
        return approvalCounts(db, caller(principal));
      },
    }),
    route({
      method: 'get',
      path: '/api/approvals/:id',
      tag: 'approvals',
      access: {
        roles: EVERYONE,
        scope: 'read',
        owner: {
          what: 'the approval',
          of: async ({ params }) => {
            const people = await approvalPeople(db, params.id);
            return [{ csms: [people.assignee, people.ownerCsm], manager: people.manager }];
          },
        },
      },
      summary:
        'One approval: what it proposes (the rendered email), the account’s context, the values one may change, who holds it until when, and how it was decided.',
      params: ApprovalRef,
      response: Approval,
      errors: [404],
      async handler({ params }) {
        return findApproval(db, params.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/approvals/:id/decision',
      tag: 'approvals',
      access: {
        roles: ['admin', 'manager', 'csm'],
        scope: 'approvals:write',
        // Whoever holds it now (the owner CSM, or the manager once escalated), or the manager of the account.
        owner: {
          what: 'the approval (it is held by another CSM)',
          of: async ({ params }) => {
            const people = await approvalPeople(db, params.id);
            return [{ csms: [people.assignee], manager: people.manager }];
          },
        },
      },
      summary:
        'Decides an approval: approved (with any edits of its values) or rejected. Exactly one decision wins; any later one is 409 naming who decided and when, as is a decision on an ended run. Values out of bounds are 422 naming the bound.',
      params: ApprovalRef,
      body: Decision,
      response: Approval,
      errors: [400, 404, 409, 422, 503],
      async handler({ params, body, principal, req }) {
        return decideApproval(ctx, params.id, body, caller(principal), { ip: req.ip ?? null });
      },
    }),
  ];
};
