import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createMailTransport, type MailTransport } from '../../server/email/transport.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/email/smtp-catcher.js';
import { recordHistory } from '../support/histories.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// The workflow lane: the time-skipping test server, the shared bundle, real activities and a real SMTP server.
let env: TestWorkflowEnvironment;
let database: AppDatabase;
let catcher: SmtpCatcher;
let transport: MailTransport;

beforeAll(async () => {
  env = await startTimeSkipping();
  database = await openDatabase({ dataDir: 'memory://' });
  catcher = await startSmtpCatcher({ db: database.db, port: 0 });
  transport = createMailTransport(catcher.url);
});

afterAll(async () => {
  transport?.close();
  await catcher?.close();
  await database?.close();
  await env?.teardown();
});

it('skips a two-day durable timer and then sends the email over SMTP', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'workflow-lane',
    workflowBundle: workflowBundle(),
    activities: createActivities({
      db: database.db,
      transport,
      mailFrom: 'Stayflow <success@stayflow.local>',
      temporal: env.client,
      taskQueue: 'workflow-lane',
      email: { publicUrl: 'https://stayflow.test', linkSecret: 'a-test-secret-that-is-long-enough-for-links' },
    }),
  });
  const startedAt = await env.currentTimeMs();
  const handle = await env.client.workflow.start('stackCheckWorkflow', {
    taskQueue: 'workflow-lane',
    workflowId: 'stack-check-two-days',
    args: [{ to: 'csm@acme.example', delay: '2 days' }],
  });
  const result = await worker.runUntil(handle.result());
  await recordHistory('stack-check-two-days', handle);
  const elapsedDays = ((await env.currentTimeMs()) - startedAt) / 86_400_000;
  expect(elapsedDays).toBeGreaterThanOrEqual(2);

  const received = await database.db.selectFrom('caught_mail').selectAll().execute();
  expect(received).toHaveLength(1);
  expect(received[0]!.envelope_to).toEqual(['csm@acme.example']);
  expect(received[0]!.subject).toBe('Stayflow stack check stack-check-two-days');
  expect(received[0]!.message_id).toBe(result.messageId);
});
