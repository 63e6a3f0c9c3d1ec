import { z } from 'zod';
import { Email } from '../../../engine/accounts/schema.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
import { DESIGNERS } from '../roles.js';

// The one email schema (RFC 5321 lengths included), as every other address the API takes.
const StackCheckBody = z.object({ to: Email.default('stack-check@stayflow.local') });

export const systemRoutes = (ctx: AppContext) => [
  route({
    method: 'post',
    path: '/api/system/stack-check',
    tag: 'system',
    access: { roles: DESIGNERS, scope: 'settings:write' },
    summary: 'Runs a tiny workflow (a durable timer, then an email over SMTP) to prove the whole stack works.',
    body: StackCheckBody,
    status: 202,
    response: z.object({ workflowId: z.string(), temporalUiUrl: z.string().optional() }),
    async handler({ body }) {
      const workflowId = `stack-check-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      await ctx.temporal.workflow.start('stackCheckWorkflow', {
        taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ to: body.to, delay: '1 second' }],
      });
      return {
        workflowId,
        temporalUiUrl: ctx.temporalUiUrl
          ? `${ctx.temporalUiUrl}/namespaces/${ctx.config.TEMPORAL_NAMESPACE}/workflows/${workflowId}`
          : undefined,
      };
    },
  }),
];
