import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/email/smtp-catcher.js';
import { createMailTransport, type MailTransport } from '../../server/email/transport.js';
import { allSearchAttributes } from '../../engine/search-attributes.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { installTemporalRuntime } from '../../server/temporal/runtime.js';
import { testLogger } from './test-config.js';
import { startTimeSkipping, workflowBundle } from './time-skipping.js';

export const TEST_MAIL_FROM = 'Acme Success <success@acme.example>';
export const TEST_EMAIL_SETTINGS: ActivityDeps['email'] = {
  publicUrl: 'https://stayflow.test',
  linkSecret: 'a-test-secret-that-is-long-enough-for-links',
};

/**
 * The Temporal dev server (not the time-skipping one) with Stayflow's search attributes registered: for tests of
 * what production lists runs by (visibility queries, search-attribute upserts).
 */
export function devServerWithSearchAttributes(): Promise<TestWorkflowEnvironment> {
  const path = temporalCliPath();
  if (!path)
    throw new Error('workflow lane: the temporal CLI is not provisioned (run: bash scripts/provision.sh temporal)');
  installTemporalRuntime(testLogger());
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path }, searchAttributes: allSearchAttributes },
  });
}

export interface WorkflowStackOptions {
  taskQueue: string;
  /** Which Temporal test server; the time-skipping one unless a test needs another (e.g. search attributes). */
  environment?: () => Promise<TestWorkflowEnvironment>;
  /** Overrides of the email steps' settings (frequency cap, footer, failpoints…). */
  email?: Partial<ActivityDeps['email']>;
  /** Send to this SMTP server instead of the in-process catcher (a test that makes SMTP fail on purpose). */
  smtpUrl?: string;
  /** Runs once the database is open and before the worker starts: templates, scorecard, fixtures. */
  prepare?: (database: AppDatabase, env: TestWorkflowEnvironment) => Promise<unknown>;
}

/** A worker on the real activities, a fresh in-memory database and a real SMTP server catching what it sends. */
export interface WorkflowStack {
  env: TestWorkflowEnvironment;
  database: AppDatabase;
  /** Null when the test brought its own SMTP server (`smtpUrl`). */
  catcher: SmtpCatcher | null;
  transport: MailTransport;
  /** What the catcher received, in arrival order: the recipients as the SMTP envelope named them, and the subject. */
  delivered: { to: string; subject: string }[];
  close(): Promise<void>;
}

/**
 * The time-skipping worker setup every workflow test shares. Mail goes through SMTP to the in-process catcher — the
 * same path as production — so a test asserts what an SMTP peer received, never what a mock transport was handed.
 */
export async function startWorkflowStack(options: WorkflowStackOptions): Promise<WorkflowStack> {
  const env = await (options.environment ?? startTimeSkipping)();
  const database = await openDatabase({ dataDir: 'memory://' });
  const delivered: WorkflowStack['delivered'] = [];
  const catcher = options.smtpUrl ? null : await startSmtpCatcher({ db: database.db, port: 0 });
  catcher?.events.on('mail', (mail: { to: string[]; subject: string }) =>
    delivered.push({ to: mail.to.join(', '), subject: mail.subject }),
  );
  const transport = createMailTransport(options.smtpUrl ?? catcher!.url);
  await options.prepare?.(database, env);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: options.taskQueue,
    workflowBundle: workflowBundle(),
    activities: createActivities({
      db: database.db,
      transport,
      mailFrom: TEST_MAIL_FROM,
      temporal: env.client,
      taskQueue: options.taskQueue,
      email: { ...TEST_EMAIL_SETTINGS, ...options.email },
    }),
  });
  const running = worker.run();
  return {
    env,
    database,
    catcher,
    transport,
    delivered,
    async close() {
      worker.shutdown();
      await running;
      transport.close();
      await catcher?.close();
      await database.close();
      await env.teardown();
    },
  };
}
