import { z } from 'zod';
import proto from '@temporalio/proto';

const { temporal } = proto;
import type { AppContext } from '../../context.js';
import { route } from '../route.js';

const ComponentHealth = z.object({
  state: z.enum(['up', 'down']),
  detail: z
    .string()
    .optional()
    .meta({ description: 'What was checked, or why it failed; only for a signed-in caller or a token.' }),
  latencyMs: z.number(),
});

export const HealthReport = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string().optional().meta({ description: 'Only for a signed-in caller or a token.' }),
    components: z.object({
      temporal: ComponentHealth,
      database: ComponentHealth,
      smtp: ComponentHealth,
      worker: ComponentHealth,
    }),
  })
  .meta({ id: 'HealthReport' });
export type HealthReport = z.infer<typeof HealthReport>;

const CHECK_TIMEOUT_MS = 3000;

async function check(run: () => Promise<string>): Promise<z.infer<typeof ComponentHealth>> {
  const started = performance.now();
  try {
    const detail = await Promise.race([
      run(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref(),
      ),
    ]);
    return { state: 'up', detail, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      state: 'down',
      detail: error instanceof Error ? error.message : String(error),
      latencyMs: Math.round(performance.now() - started),
    };
  }
}

export async function healthReport(ctx: AppContext): Promise<HealthReport> {
  const { config, temporal: client } = ctx;
  const [temporalHealth, database, smtp, worker] = await Promise.all([
    check(async () => {
      await client.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
      return `namespace ${config.TEMPORAL_NAMESPACE} at ${config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`}`;
    }),
    check(async () => {
      await ctx.database.ping();
      // Never the location: a file path, even to a signed-in caller, says more about the host than it needs to.
      return ctx.database.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL';
    }),
    check(async () => {
      await ctx.mail.transport.verify();
      return ctx.mail.catching ? `in-process catcher at ${ctx.mail.url}` : `relay at ${new URL(ctx.mail.url).host}`;
    }),
    check(async () => {
      // A worker is alive when Temporal saw it poll the task queue recently: true for in-process and remote workers.
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: { name: config.TEMPORAL_TASK_QUEUE },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const count = pollers?.length ?? 0;
      if (count === 0) throw new Error(`no worker is polling task queue ${config.TEMPORAL_TASK_QUEUE}`);
      return `${count} worker(s) polling task queue ${config.TEMPORAL_TASK_QUEUE}`;
    }),
  ]);
  const components = { temporal: temporalHealth, database, smtp, worker };
  const status = Object.values(components).every((c) => c.state === 'up') ? 'ok' : 'degraded';
  return { status, version: ctx.version, components };
}

export const healthRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/health',
    tag: 'system',
    access: { public: 'load balancers and uptime checks call it; it names no file, host or address' },
    summary: 'Each component Stayflow needs and its state; 503 when one is down.',
    response: HealthReport,
    errors: [503],
    async handler({ res, principal }) {
      const full = await healthReport(ctx);
      // Anyone may ask whether Stayflow is up; what it runs on and why a part failed is for those signed in.
      const report: HealthReport = principal
        ? full
        : {
            status: full.status,
            components: Object.fromEntries(
              Object.entries(full.components).map(([name, c]) => [name, { state: c.state, latencyMs: c.latencyMs }]),
            ) as HealthReport['components'],
          };
      // Degraded: worth asking again shortly (load balancers and clients read Retry-After on a 503).
      if (report.status !== 'ok') res.set('retry-after', '5');
      res.status(report.status === 'ok' ? 200 : 503).json(report);
      return report;
    },
  }),
];
