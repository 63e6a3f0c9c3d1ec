import { z } from 'zod';
import { TimelineEntry } from '../../../engine/simulator/schemas.js';
import type { AppContext } from '../../context.js';
import { bulkAction, cancelRun, decideApproval, listRuns, runDetail } from '../../playbooks/runs.js';
import { route } from '../route.js';

// Filter values go into a Temporal visibility query: only characters that cannot break out of a quoted string.
const safe = z.string().regex(/^[^'"\\]{1,200}$/, { error: 'must not contain quotes or backslashes' });

const RunSummary = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    playbook: z.string().nullable(),
    version: z.number().nullable(),
    account: z.string().nullable(),
    node: z.string().nullable(),
    status: z.string(),
    startedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'RunSummary' });

const RunRef = z.object({ id: z.string().min(1).max(400) });

export const runRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/runs',
    tag: 'runs',
    summary:
      'Runs by playbook, version, account, step and status (running, waiting-timer, waiting-event, waiting-approval, completed, cancelled…).',
    query: z.object({
      playbook: safe.optional(),
      version: z.coerce.number().int().min(1).optional(),
      account: safe.optional(),
      node: safe.optional(),
      status: z
        .enum([
          'running',
          'waiting-timer',
          'waiting-event',
          'waiting-approval',
          'completed',
          'exited',
          'failed',
          'cancelled',
          'terminated',
          'timed_out',
        ])
        .optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    response: z.object({ items: z.array(RunSummary) }),
    async handler({ query }) {
      const { limit, ...filters } = query;
      return { items: await listRuns(ctx, filters, limit) };
    },
  }),
  route({
    method: 'get',
    path: '/api/runs/:id',
    tag: 'runs',
    summary:
      'One run: where it stands, what it waits for until when, its step log, and a link to its history in the Temporal Web UI.',
    params: RunRef,
    response: RunSummary.extend({
      position: z
        .object({
          nodeId: z.string(),
          waiting: z.object({ kind: z.string(), until: z.string(), detail: z.string() }).optional(),
        })
        .nullable(),
      timeline: z.array(TimelineEntry),
      temporalUiUrl: z.string().nullable(),
    }),
    errors: [404],
    async handler({ params }) {
      return runDetail(ctx, params.id);
    },
  }),
  route({
    method: 'post',
    path: '/api/runs/:id/cancel',
    tag: 'runs',
    summary: 'Cancels a running enrollment.',
    params: RunRef,
    status: 202,
    response: z.object({ workflowId: z.string(), cancelled: z.literal(true) }),
    errors: [404, 409],
    async handler({ params }) {
      await cancelRun(ctx, params.id);
      return { workflowId: params.id, cancelled: true as const };
    },
  }),
  route({
    method: 'post',
    path: '/api/runs/bulk',
    tag: 'runs',
    summary: "Cancels a selection of runs, or skips the wait they stand on; answers each run's outcome.",
    body: z.object({
      action: z.enum(['cancel', 'skipWait']),
      workflowIds: z.array(z.string().min(1).max(400)).min(1, { error: 'select at least one run' }).max(500),
    }),
    response: z.object({
      results: z.array(z.object({ workflowId: z.string(), ok: z.boolean(), error: z.string().nullable() })),
    }),
    async handler({ body }) {
      return { results: await bulkAction(ctx, body.action, body.workflowIds) };
    },
  }),
  route({
    method: 'post',
    path: '/api/runs/:id/approval',
    tag: 'runs',
    summary: "A CSM's decision on the approval step the run waits at (offer, discount, message): approved or rejected.",
    params: RunRef,
    body: z.object({
      nodeId: z.string().min(1).max(64),
      decision: z.enum(['approved', 'rejected']),
      decidedBy: z.string().trim().min(1, { error: 'must say who decided' }).max(200),
    }),
    response: z.object({ workflowId: z.string(), nodeId: z.string(), decision: z.enum(['approved', 'rejected']) }),
    errors: [404, 409],
    async handler({ params, body }) {
      await decideApproval(ctx, params.id, body);
      return { workflowId: params.id, nodeId: body.nodeId, decision: body.decision };
    },
  }),
];
