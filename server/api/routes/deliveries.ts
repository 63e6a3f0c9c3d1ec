import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { deliveriesOfRun } from '../../effects/deliveries.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { parseRunId } from '../../playbooks/run-id.js';
import { route } from '../route.js';
import { runOwners } from '../../auth/ownership.js';
import { EVERYONE } from '../roles.js';

const EffectDelivery = z
  .object({
    runId: z.string(),
    stepKey: z.string(),
    attempt: z.number(),
    kind: z.string(),
    target: z.string(),
    status: z.enum(['sending', 'done', 'retrying', 'failed', 'skipped']),
    httpStatus: z.number().nullable(),
    detail: z.string().nullable(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'EffectDelivery' });

export const deliveryRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/runs/:id/deliveries',
    tag: 'runs',
    access: {
      roles: EVERYONE,
      scope: 'read',
      owner: { what: "the run's account", of: async ({ params }) => [await runOwners(ctx.database.db, params.id)] },
    },
    summary:
      "Every delivery attempt of the run's webhooks, notifications and field updates, with what each answered — why a step was retried or failed.",
    params: z.object({ id: z.string().min(1).max(400) }),
    response: z.object({ items: z.array(EffectDelivery) }),
    errors: [404],
    async handler({ params }) {
      if (!parseRunId(params.id)) throw notFound(`Run ${params.id}`);
      const items = await deliveriesOfRun(ctx.database.db, params.id);
      if (items.length === 0) {
        // Nothing delivered yet, or no such run: only Temporal can tell which.
        try {
          await ctx.temporal.workflow.getHandle(params.id).describe();
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) throw notFound(`Run ${params.id}`);
          throw error;
        }
      }
      return { items };
    },
  }),
];
