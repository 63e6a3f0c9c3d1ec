import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { waitingApprovals } from '../../tasks/approvals.js';
import { route } from '../route.js';

// Filter values go into a Temporal visibility query: only characters that cannot break out of a quoted string.
const safe = z.string().regex(/^[^'"\\]{1,200}$/, { error: 'must not contain quotes or backslashes' });

const WaitingApproval = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    nodeId: z.string(),
    kind: z.enum(['offer', 'discount', 'message']),
    title: z.string(),
    details: z.string(),
    until: z.string().meta({ description: 'When the approval times out and the run takes its timeout branch.' }),
    account: z.object({ id: z.string().nullable(), name: z.string().nullable(), ownerCsmEmail: z.string().nullable() }),
    playbook: z.object({ key: z.string().nullable(), name: z.string().nullable(), version: z.number().nullable() }),
    decide: z.object({ method: z.literal('POST'), url: z.string() }).meta({
      description: 'Where the decision goes: body { nodeId, decision: approved|rejected, decidedBy }.',
    }),
  })
  .meta({ id: 'WaitingApproval' });

export const approvalRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/approvals',
    tag: 'runs',
    summary:
      'Escalated steps waiting for a CSM (offers, discounts, messages), the soonest to time out first; decide with POST /api/runs/{id}/approval.',
    query: z.object({
      owner: z
        .string()
        .trim()
        .min(1)
        .max(254)
        .optional()
        .meta({ description: 'Only accounts this CSM owns (email, any case).' }),
      playbook: safe.optional(),
      account: safe.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    response: z.object({ items: z.array(WaitingApproval) }),
    async handler({ query }) {
      return { items: await waitingApprovals(ctx, query) };
    },
  }),
];
