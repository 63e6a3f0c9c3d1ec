import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { createMailTransport } from './email/transport.js';
import { createApp } from './api/app.js';
import type { LoadedConfig } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/database.js';
import { installDefaultScorecard } from './health/service.js';
import { startSmtpCatcher, type SmtpCatcher } from './email/smtp-catcher.js';
import { relayLookupFor } from './email/relay-lookup.js';
import { connectClient, connectWorkerConnection, temporalTarget } from './temporal/connection.js';
import { isListening, PortInUseError, startDevServer, type DevServer } from './temporal/dev-server.js';
import { ensureSearchAttributes } from './temporal/search-attributes.js';
import { installTemporalRuntime } from './temporal/runtime.js';
import { createWorker, workflowCodeOrigin } from './temporal/worker.js';
import { DAILY_SWEEP_SCHEDULE, ensureDailySweep } from './temporal/schedules.js';
import { notifyEventsRecorded } from './accounts/entity-signals.js';
import { installShippedTemplates } from './templates/shipped.js';
import { installSeedPlaybooks } from './playbooks/seed.js';
import { loadLinkSecret } from './email/link-secret.js';
import { parseFrequencyCap } from './email/frequency-cap.js';
import { closeRenderPool } from './email/templates/render-pool.js';
import { packageVersion } from './package-root.js';
import { bootstrapAccess } from './auth/bootstrap.js';
import { outboundPolicy } from './effects/outbound-policy.js';
import { writeOperatorToken, type OperatorToken } from './auth/operator-token.js';

export const version = packageVersion;

export interface Stack {
  context: AppContext;
  apiUrl: string | undefined;
  smtpCatcher: SmtpCatcher | undefined;
  devServer: DevServer | undefined;
  worker: Worker | undefined;
  /** What the worker's activities were built from: a test that replaces the worker builds the same ones. */
  activityDeps: ActivityDeps | undefined;
  /** Whether an admin exists: false on a fresh install nobody can sign in to yet (main prints how to). */
  hasAdmin: boolean;
  close(): Promise<void>;
}

export interface StackOptions {
  logger: Logger;
  /** The temporal CLI, needed only when TEMPORAL_ADDRESS is unset. */
  temporalCliPath?: string;
  /** A prebuilt workflow bundle (tests); otherwise the worker bundles at start. */
  workflowBundle?: WorkflowBundle;
}

/**
 * Brings up the parts this process runs (per STAYFLOW_ROLE) and the embedded stand-ins for unset external ones.
 * On any failure it closes what it had started, so a failed start leaves no process or port behind.
 */
export async function startStack(config: LoadedConfig, opts: StackOptions): Promise<Stack> {
  const { logger } = opts;
  const runsApi = config.STAYFLOW_ROLE !== 'worker';
  const runsWorker = config.STAYFLOW_ROLE !== 'api';
  const cleanup: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const step of cleanup.reverse().splice(0))
      await step().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
  };

  try {
    if (runsApi && (await isListening(config.PORT, config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST))) {
      throw new PortInUseError(`port ${config.PORT} (PORT) is already in use (another Stayflow running?)`);
    }

    const outbound = outboundPolicy(config);
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
    cleanup.push(() => database.close());
    // Render threads start on the first email; closed after the worker and the API that use them.
    cleanup.push(() => closeRenderPool());
    logger.info({ database: database.location }, `database ready (${database.kind})`);
    await installDefaultScorecard(database.db);
    const templates = await installShippedTemplates(database.db);
    if (templates.installed.length + templates.updated.length > 0) logger.info(templates, 'shipped email templates');
    const seeds = await installSeedPlaybooks(database.db);
    if (seeds.installed.length > 0) logger.info({ installed: seeds.installed }, 'seed playbooks published');
    for (const failed of seeds.failed) logger.warn(failed, 'seed playbook not installed: it does not compile here');
    // A worker-only process has no API to sign in to; the API processes make the first admin.
    const access = runsApi ? await bootstrapAccess(database.db, config, logger) : { hasAdmin: true };

    let smtpCatcher: SmtpCatcher | undefined;
    let smtpUrl = config.SMTP_URL;
    if (!smtpUrl) {
      if (await isListening(config.SMTP_CATCHER_PORT)) {
        throw new PortInUseError(`port ${config.SMTP_CATCHER_PORT} (SMTP_CATCHER_PORT) is already in use`);
      }
      smtpCatcher = await startSmtpCatcher({ db: database.db, port: config.SMTP_CATCHER_PORT });
      cleanup.push(() => smtpCatcher!.close());
      smtpUrl = smtpCatcher.url;
    }
    const transport = createMailTransport(smtpUrl);
    cleanup.push(async () => transport.close());

    let devServer: DevServer | undefined;
    let address = config.TEMPORAL_ADDRESS;
    if (!address) {
      if (!opts.temporalCliPath)
        throw new Error('TEMPORAL_ADDRESS is unset and no temporal CLI was provisioned (run npm start)');
      // DATA_DIR=memory:// (tests) keeps Temporal's state in memory too, and skips the Web UI.
      const persistent = config.dataDir !== 'memory://';
      devServer = await startDevServer({
        cliPath: opts.temporalCliPath,
        port: config.TEMPORAL_DEV_PORT,
        uiPort: persistent ? config.TEMPORAL_UI_PORT : undefined,
        dbFile: persistent ? path.join(config.dataDir, 'temporal', 'temporal.sqlite') : undefined,
        logFile: persistent ? path.join(config.dataDir, 'logs', 'temporal.log') : undefined,
        namespace: config.TEMPORAL_NAMESPACE,
        onRestart: ({ exitCode, signal, attempt, delayMs }) =>
          logger.error(
            { exitCode, signal, attempt, delayMs },
            'Temporal dev server exited; restarting it (runs wait until it is back)',
          ),
        onRecovered: (attempt) => logger.warn({ attempt }, 'Temporal dev server is back'),
      });
      cleanup.push(() => devServer!.stop());
      address = devServer.address;
      logger.info({ address }, 'Temporal dev server ready');
    }
    const target = await temporalTarget(config, address);
    const client = await connectClient(target);
    cleanup.push(() => client.connection.close());
    try {
      const added = await ensureSearchAttributes(client, config.TEMPORAL_NAMESPACE);
      if (added.length) logger.info({ added }, 'registered search attributes');
    } catch (error) {
      logger.warn({ err: error }, 'could not register search attributes (Temporal Cloud: add them in its console)');
    }

    const context: AppContext = {
      config,
      version,
      database,
      temporal: client,
      temporalUiUrl: config.TEMPORAL_UI_URL ?? devServer?.uiUrl,
      mail: { transport, url: smtpUrl, catching: smtpCatcher !== undefined },
      outbound,
      events: {
        onAccepted: (accountIds) =>
          notifyEventsRecorded({ temporal: client, taskQueue: config.TEMPORAL_TASK_QUEUE }, accountIds),
      },
    };
    if (runsApi) {
      const sweep = await ensureDailySweep(client, config.TEMPORAL_TASK_QUEUE, config.SWEEP_HOUR_UTC);
      logger.info({ schedule: DAILY_SWEEP_SCHEDULE, at: `${config.SWEEP_HOUR_UTC}:00 UTC` }, `daily sweep ${sweep}`);
    }

    let worker: Worker | undefined;
    let activityDeps: ActivityDeps | undefined;
    if (runsWorker) {
      activityDeps = {
        db: database.db,
        transport,
        mailFrom: config.MAIL_FROM,
        temporal: client,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        webhookSecret: config.WEBHOOK_SECRET,
        slackWebhookUrl: config.SLACK_WEBHOOK_URL,
        outbound,
        email: {
          publicUrl: config.publicUrl,
          linkSecret: await loadLinkSecret(database.db, config.LINK_SECRET),
          frequencyCap: parseFrequencyCap(config.MAIL_FREQUENCY_CAP),
          company: config.MAIL_COMPANY_NAME,
          postalAddress: config.MAIL_POSTAL_ADDRESS,
          openTracking: config.MAIL_OPEN_TRACKING,
          relayHolds: relayLookupFor({
            catching: smtpCatcher !== undefined,
            db: database.db,
            lookupUrl: config.SMTP_MESSAGE_LOOKUP_URL,
          }),
        },
      };
      installTemporalRuntime(logger);
      const connection = await connectWorkerConnection(target);
      cleanup.push(() => connection.close());
      worker = await createWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        activities: createActivities(activityDeps),
        maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
        workflowBundle: opts.workflowBundle,
      });
      const running = worker.run();
      const w = worker;
      running.catch((error: unknown) => logger.error({ err: error }, 'worker stopped with an error'));
      cleanup.push(async () => {
        if (w.getState() === 'RUNNING') w.shutdown();
        await running.catch(() => undefined);
      });
      const workflows = workflowCodeOrigin(opts.workflowBundle);
      logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, workflows }, 'worker polling');
    }

    let apiUrl: string | undefined;
    if (runsApi) {
      // The CLI on this machine reaches the API with it (DATA_DIR=memory:// keeps no files: no operator token).
      if (config.dataDir !== 'memory://') {
        const operator: OperatorToken = await writeOperatorToken(config.dataDir);
        cleanup.push(() => operator.remove());
        context.operator = operator;
      }
      const server = http.createServer(createApp(context, logger));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      cleanup.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      const { port } = server.address() as AddressInfo;
      apiUrl = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
    }

    return {
      context,
      apiUrl,
      smtpCatcher,
      devServer,
      worker,
      activityDeps,
      hasAdmin: access.hasAdmin,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
