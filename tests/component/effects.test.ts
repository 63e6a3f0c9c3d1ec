import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveriesOfRun, deliveryLog } from '../../server/effects/deliveries.js';
import { notifyDeliverer } from '../../server/effects/notify.js';
import { verifyWebhook } from '../../server/effects/signature.js';
import { taskDeliverer } from '../../server/effects/task.js';
import { webhookDeliverer } from '../../server/effects/webhook.js';
import { createMailTransport, type MailTransport } from '../../server/email/transport.js';
import { playbookActivities } from '../../activities/playbook/perform-effect.js';
import type { EffectStep } from '../../server/effects/perform.js';
import { EFFECT_RETRY } from '../../engine/activity-contracts.js';
import { AccountInput } from '../../engine/accounts/schema.js';
import type { Effect } from '../../engine/interpreter/types.js';
import { createAccount } from '../../server/accounts/store.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/email/smtp-catcher.js';
import { listTasks, setTaskStatus } from '../../server/tasks/store.js';
import { receiverPolicy, startHttpsReceiver } from '../support/https-receiver.js';

// The effect deliverers against real parts: PGlite, an HTTPS server on 127.0.0.1 and the in-process SMTP server.
let database: AppDatabase;
let catcher: SmtpCatcher;
let transport: MailTransport;
let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
let accountId: string;
const SECRET = 'unit-test-webhook-secret';

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  catcher = await startSmtpCatcher({ db: database.db, port: 0 });
  transport = createMailTransport(catcher.url);
  receiver = await startHttpsReceiver((request, seen) => {
    if (request.path === '/ok' || request.path === '/slack') return { status: 200 };
    if (request.path === '/flaky') return { status: seen === 1 ? 500 : 204 };
    if (request.path === '/elsewhere') return { status: 302, headers: { location: 'https://example.org/x' } };
    if (request.path === '/moved') return { status: 307, headers: { location: '/ok' } };
    if (request.path === '/hang-up') return { hangUp: true };
    if (request.path === '/down') return { status: 503 };
    return { status: 404 };
  });
  const account = await createAccount(
    database.db,
    AccountInput.parse({ externalId: 'acme', name: 'Acme', ownerCsmEmail: 'ana@csm.example' }),
  );
  accountId = account.id;
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  transport?.close();
  await catcher?.close();
  await database?.close();
});

let steps = 0;
function stepOf<E extends Effect>(effect: E, attempt = 1, stepKey = `${++steps}`): EffectStep<E> {
  return {
    workflowId: `wf-${stepKey}`,
    runId: 'run-1',
    stepKey,
    attempt,
    lastAttempt: attempt >= EFFECT_RETRY.maximumAttempts,
    effect,
    run: {
      accountId,
      playbookKey: 'rescue',
      playbookName: 'Rescue',
      version: 3,
      at: '2026-03-02T09:00:00Z',
      day: 1,
      enrolledAt: '2026-03-01T09:00:00Z',
    },
  };
}
const webhook = (path: string) =>
  ({
    kind: 'webhook',
    nodeId: 'crm',
    label: 'Tell the CRM',
    url: receiver.url(path),
    method: 'POST',
    body: { stage: 'at-risk' },
  }) as const;

describe('webhook deliverer', () => {
  const deliver = () => webhookDeliverer({ db: database.db, secret: SECRET, outbound: receiverPolicy() });

  it('posts the configured body with run context, an idempotency key and a signature that verifies', async () => {
    const step = stepOf(webhook('/ok'));
    expect(await deliver()(step)).toEqual({ status: 'done', detail: `POST ${receiver.url('/ok')} answered 200 OK` });
    const [request] = receiver.to('/ok');
    expect(request!.headers['idempotency-key']).toBe(`run-1:${step.stepKey}`);
    // Standard Webhooks: the message id is the idempotency key, and the signature verifies with the library.
    expect(request!.headers['webhook-id']).toBe(`run-1:${step.stepKey}`);
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(verifyWebhook(SECRET, request!.body, request!.headers)).toBe(true);
    expect(verifyWebhook('another-secret', request!.body, request!.headers)).toBe(false);
    const body = JSON.parse(request!.body);
    expect(body.stage).toBe('at-risk');
    expect(body.stayflow).toMatchObject({
      accountId,
      playbook: { key: 'rescue', version: 3 },
      step: { nodeId: 'crm', label: 'Tell the CRM' },
    });
  });

  it('throws on a 500 so Temporal retries, with the same idempotency key, and records each attempt', async () => {
    const first = stepOf(webhook('/flaky'));
    await expect(deliver()(first)).rejects.toThrow(`POST ${receiver.url('/flaky')} answered 500 Internal Server Error`);
    expect(await deliver()({ ...first, attempt: 2 })).toMatchObject({ status: 'done' });
    const keys = receiver.to('/flaky').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual([`run-1:${first.stepKey}`, `run-1:${first.stepKey}`]);
    const attempts = await deliveriesOfRun(database.db, first.workflowId);
    expect(attempts.map((a) => [a.attempt, a.status, a.httpStatus])).toEqual([
      [1, 'retrying', 500],
      [2, 'done', 204],
    ]);
  });

  it('ends the step failed, not the run, when the last retry still meets a 503', async () => {
    const activities = playbookActivities({ db: database.db, deliver: { webhook: deliver() } });
    const request = { workflowId: 'wf-down', runId: 'run-1', effect: webhook('/down') };
    // Before the last attempt a temporary failure is thrown, for Temporal to retry.
    const early = new MockActivityEnvironment({ attempt: EFFECT_RETRY.maximumAttempts - 1 });
    await expect(early.run(activities.performEffect, request)).rejects.toThrow('answered 503');
    const last = new MockActivityEnvironment({ attempt: EFFECT_RETRY.maximumAttempts });
    expect(await last.run(activities.performEffect, request)).toEqual({
      status: 'failed',
      detail: `POST ${receiver.url('/down')} answered 503 Service Unavailable (gave up after ${EFFECT_RETRY.maximumAttempts} attempts)`,
    });
    const attempts = await deliveriesOfRun(database.db, 'wf-down');
    expect(attempts.map((a) => a.status)).toEqual(['retrying', 'failed']);
  });

  it('answers failed, with the reason, on a 404 and on a redirect to another host (not followed)', async () => {
    expect(await deliver()(stepOf(webhook('/missing')))).toEqual({
      status: 'failed',
      detail: `POST ${receiver.url('/missing')} answered 404 Not Found`,
    });
    const redirected = await deliver()(stepOf(webhook('/elsewhere')));
    expect(redirected).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('redirecting to https://example.org/x'),
    });
    expect(receiver.to('/elsewhere')).toHaveLength(1);
  });

  it('follows a 307 on the same host, and throws when the connection drops', async () => {
    const before = receiver.to('/ok').length;
    expect(await deliver()(stepOf(webhook('/moved')))).toMatchObject({ status: 'done' });
    expect(receiver.to('/ok')).toHaveLength(before + 1);
    await expect(deliver()(stepOf(webhook('/hang-up')))).rejects.toThrow(/failed: socket hang up/);
  });

  it('sends no signature when no secret is configured', async () => {
    await webhookDeliverer({ db: database.db, outbound: receiverPolicy() })(
      stepOf({ ...webhook('/ok'), nodeId: 'unsigned' }),
    );
    const unsigned = receiver.to('/ok').at(-1)!.headers;
    expect(unsigned['webhook-signature']).toBeUndefined();
    expect(unsigned['webhook-timestamp']).toBeUndefined();
  });
});

describe('notify deliverer', () => {
  const notify = (channel: 'slack' | 'email') =>
    ({ kind: 'notify', nodeId: 'ping', label: 'Ping the CSM', channel, message: 'Acme is at risk' }) as const;
  const mailTo = async (to: string) =>
    (await database.db.selectFrom('caught_mail').selectAll().execute()).filter((m) => m.envelope_to.includes(to));

  it('skips slack when it is not configured, and posts { text } when it is', async () => {
    const unconfigured = notifyDeliverer({ db: database.db, transport, mailFrom: 'Stayflow <s@x.example>' });
    expect(await unconfigured(stepOf(notify('slack')))).toEqual({
      status: 'skipped',
      detail: 'Slack is not configured (SLACK_WEBHOOK_URL is unset)',
    });
    const slack = notifyDeliverer({
      db: database.db,
      transport,
      mailFrom: 'Stayflow <s@x.example>',
      slackWebhookUrl: receiver.url('/slack'),
      outbound: receiverPolicy(),
    });
    expect(await slack(stepOf(notify('slack')))).toEqual({ status: 'done', detail: 'posted to Slack' });
    const text = JSON.parse(receiver.to('/slack')[0]!.body).text as string;
    expect(text).toContain('Acme is at risk');
    expect(text).toContain('Acme · Rescue (v3) · step "Ping the CSM"');
  });

  it('emails the owner CSM once, even when the step is retried', async () => {
    const deliver = notifyDeliverer({ db: database.db, transport, mailFrom: 'Stayflow <s@x.example>' });
    const step = stepOf(notify('email'));
    expect(await deliver(step)).toEqual({ status: 'done', detail: 'emailed ana@csm.example' });
    expect(await deliver({ ...step, attempt: 2 })).toMatchObject({
      status: 'done',
      detail: 'sent by an earlier attempt',
    });
    const mail = await mailTo('ana@csm.example');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('[Stayflow] Ping the CSM — Acme');
  });

  it('does not send again when an earlier attempt stopped mid-send', async () => {
    const deliver = notifyDeliverer({ db: database.db, transport, mailFrom: 'Stayflow <s@x.example>' });
    const step = stepOf(notify('email'));
    await deliveryLog(database.db, step, 'notify', 'ana@csm.example').start(); // a worker died after marking
    const before = (await mailTo('ana@csm.example')).length;
    const outcome = await deliver({ ...step, attempt: 2 });
    expect(outcome).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/attempt 1 stopped while sending/),
    });
    expect(await mailTo('ana@csm.example')).toHaveLength(before);
  });
});

describe('task deliverer and the task store', () => {
  const task = (assignee: 'ownerCsm' | 'csmManager', dueAt: string, title = 'Call Acme') =>
    ({
      kind: 'task',
      nodeId: 'call',
      label: 'Call',
      assignee,
      taskKind: 'call',
      title,
      instructions: 'Ask about the drop in usage',
      dueAt,
    }) as const;

  it('makes one task per step however often it is retried, for the owner CSM', async () => {
    const step = stepOf(task('ownerCsm', '2026-03-04T09:00:00Z'));
    await taskDeliverer({ db: database.db })(step);
    await taskDeliverer({ db: database.db })({ ...step, attempt: 2 });
    const tasks = await listTasks(database.db, { assignee: 'ANA@csm.example', limit: 10 });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      status: 'open',
      overdue: true,
      title: 'Call Acme',
      assignee: { role: 'ownerCsm', email: 'ana@csm.example', note: null },
      account: { id: accountId, name: 'Acme' },
      playbook: { key: 'rescue', name: 'Rescue', version: 3 },
      run: { workflowId: step.workflowId, runId: 'run-1', nodeId: 'call' },
    });
  });

  it('leaves a task unassigned, saying why, when the account names no manager', async () => {
    const outcome = await taskDeliverer({ db: database.db })(stepOf(task('csmManager', '2030-01-01T00:00:00Z')));
    expect(outcome).toMatchObject({ status: 'done' });
    const [unassigned] = await listTasks(database.db, { assignee: 'unassigned', limit: 10 });
    expect(unassigned!.assignee).toEqual({
      role: 'csmManager',
      email: null,
      note: 'unassigned: account Acme has no CSM manager (csmManagerEmail is empty)',
    });
  });

  it('makes an unassigned task, not an endless retry, for an account described inline at enrollment', async () => {
    const inline = stepOf(task('ownerCsm', '2030-01-01T00:00:00Z', 'Inline call'));
    inline.run = { ...inline.run!, accountId: 'cyberdyne' };
    await taskDeliverer({ db: database.db })(inline);
    const [made] = await listTasks(database.db, { accountId: 'cyberdyne', limit: 10 });
    expect(made).toMatchObject({
      title: 'Inline call',
      account: { id: 'cyberdyne', name: null },
      assignee: { email: null, note: 'unassigned: account cyberdyne is not stored, so it names no owner CSM' },
    });
  });

  it('lists open tasks first, overdue ones leading, and completes, refuses twice, reopens', async () => {
    await taskDeliverer({ db: database.db })(stepOf(task('ownerCsm', '2099-01-01T00:00:00Z', 'Later')));
    await taskDeliverer({ db: database.db })(stepOf(task('ownerCsm', '2020-01-01T00:00:00Z', 'Long overdue')));
    const inbox = await listTasks(database.db, { assignee: 'ana@csm.example', limit: 10 });
    expect(inbox.map((t) => t.title)).toEqual(['Long overdue', 'Call Acme', 'Later']);
    const done = await setTaskStatus(database.db, inbox[0]!.id, 'done', 'Spoke to their CTO');
    expect(done).toMatchObject({ status: 'done', note: 'Spoke to their CTO', overdue: false });
    await expect(setTaskStatus(database.db, inbox[0]!.id, 'dismissed')).rejects.toThrow(/already done/);
    const after = await listTasks(database.db, { assignee: 'ana@csm.example', limit: 10 });
    expect(after.map((t) => t.title)).toEqual(['Call Acme', 'Later', 'Long overdue']);
    expect(await setTaskStatus(database.db, inbox[0]!.id, 'open')).toMatchObject({ status: 'open', completedAt: null });
    expect(await listTasks(database.db, { dueBefore: '2021-01-01T00:00:00Z', limit: 10 })).toHaveLength(1);
  });
});
