import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createActivities } from '../../activities/index.js';
import { createMailTransport, type MailTransport } from '../../server/email/transport.js';
import { verifyLink } from '../../server/email/links.js';
import { emailDeliverer, type SendPoint } from '../../server/email/send-step.js';
import { AccountInput, ContactInput } from '../../engine/accounts/schema.js';
import type { RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { createContact, patchContact } from '../../server/accounts/contacts.js';
import { accountSnapshot, createAccount } from '../../server/accounts/store.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { resendUncertain } from '../../server/email/resend.js';
import { saveTemplate, templateCompileContext } from '../../server/templates/store.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// Playbook emails end to end on the time-skipping server: real activities, PGlite, and an SMTP server of the
// test's own that can refuse chosen addresses (451 for a while, 550 for good), as relays do.

const TASK_QUEUE = 'email-delivery';
const FROM = 'Acme Success <success@acme.example>';
const PUBLIC_URL = 'https://stayflow.test';
const SECRET = 'a-test-secret-that-is-long-enough-for-links';

interface Received {
  to: string[];
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}
const received: Received[] = [];
const mailTo = (address: string) => received.filter((m) => m.to.includes(address));
/** Addresses the server refuses: the reply, and how many more times (Infinity: always). */
const refusals = new Map<string, { code: number; message: string; times: number }>();
/** Where the send "dies" (a thrown error, as a killed worker leaves things) on the first attempt, per recipient. */
const failpoints = new Map<string, SendPoint>();
/** The failures injected so far, as `recipient@point`: proof that each test's "worker death" really happened. */
const died: string[] = [];

let env: TestWorkflowEnvironment;
let database: AppDatabase;
let smtp: SMTPServer;
let transport: MailTransport;
let worker: Worker;
let running: Promise<void>;

async function startTestSmtp(): Promise<string> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.get(address.address);
      if (refusal && refusal.times > 0) {
        refusal.times -= 1;
        const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const headers: Record<string, string> = {};
          for (const line of mail.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
            headers,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  env = await startTimeSkipping();
  database = await openDatabase({ dataDir: 'memory://' });
  transport = createMailTransport(await startTestSmtp());
  await saveTemplate(database.db, 'checkin', {
    name: 'Day 4 check-in',
    defaultLocale: 'en',
    locales: {
      es: {
        subject: 'Día {{ run.day }}: ¿qué tal, {{ contact.first_name }}?',
        body: 'Hola {{ contact.first_name }}, ¿qué tal va {{ account.name }}?\n\n[La guía](https://acme.example/guia?a=1&b=2)\n\n{{ csm.name }}',
      },
      en: {
        subject: 'Day {{ run.day }}: how is it going, {{ contact.first_name }}?',
        body: 'Hi {{ contact.first_name }}, how is {{ account.name }} doing?\n\n[The guide](https://acme.example/guide)\n\n{{ csm.name }}',
      },
    },
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities: createActivities({
      db: database.db,
      transport,
      mailFrom: FROM,
      temporal: env.client,
      taskQueue: TASK_QUEUE,
      email: {
        publicUrl: PUBLIC_URL,
        linkSecret: SECRET,
        frequencyCap: { max: 3, periodMs: 7 * 86_400_000, text: '3 per 7d' },
        company: 'Acme Analytics',
        postalAddress: 'Calle Mayor 1, 28013 Madrid',
        failpoint(point, at) {
          if (at.attempt === 1 && failpoints.get(at.recipient) === point) {
            died.push(`${at.recipient}@${point}`);
            throw new Error(`worker killed at ${point}`);
          }
        },
      },
    }),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  transport?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await database?.close();
  await env?.teardown();
});

/** Wait four days, send the check-in; a failed delivery goes to "Bounced", as a playbook routes it to a CSM. */
async function checkInPlaybook(recipients: 'primaryContact' | 'allContacts', template = 'checkin') {
  const result = compilePlaybook(
    {
      schemaVersion: 1,
      key: `checkin-${recipients === 'allContacts' ? 'all' : 'primary'}-${template}`,
      name: 'Check-in',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        { id: 'wait4', type: 'wait', label: 'Wait 4 days', config: { kind: 'duration', amount: 4, unit: 'days' } },
        {
          id: 'checkin',
          type: 'email',
          label: 'Day 4 check-in',
          config: { template, recipients, sendWindow: 'immediate' },
        },
        { id: 'done', type: 'end', label: 'Done', config: {} },
        { id: 'bounced', type: 'end', label: 'Bounced', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait4' },
        { id: 'e2', source: 'wait4', target: 'checkin' },
        { id: 'e3', source: 'checkin', target: 'done' },
        { id: 'e4', source: 'checkin', sourceHandle: 'failed', target: 'bounced' },
      ],
    },
    { templates: await templateCompileContext(database.db) },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

let accounts = 0;
async function accountWith(
  contacts: { name: string; email: string; locale?: 'es' | 'en'; unsubscribed?: boolean }[],
  overrides: Record<string, unknown> = {},
) {
  accounts += 1;
  const account = await createAccount(
    database.db,
    AccountInput.parse({
      externalId: `email-${accounts}`,
      name: `Account ${accounts}`,
      locale: 'es',
      timeZone: 'Europe/Madrid',
      ownerCsmName: 'Marta Ruiz',
      ownerCsmEmail: 'marta@acme.example',
      ...overrides,
    }),
  );
  for (const c of contacts) {
    const contact = await createContact(
      database.db,
      account.id,
      ContactInput.parse({ name: c.name, email: c.email, locale: c.locale }),
    );
    if (c.unsubscribed) await patchContact(database.db, account.id, contact.id, { unsubscribed: true });
  }
  return account;
}

let runs = 0;
async function run(
  accountId: string,
  recipients: 'primaryContact' | 'allContacts' = 'primaryContact',
  playbook?: RunInput['playbook'],
) {
  runs += 1;
  const input: RunInput = {
    playbook: playbook ?? (await checkInPlaybook(recipients)),
    account: await accountSnapshot(database.db, accountId),
  };
  const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `email-delivery-${runs}`,
    args: [input],
  });
  const result: RunResult = await handle.result();
  const step = result.timeline.find((e) => e.nodeId === 'checkin')!;
  return { result, step, workflowId: handle.workflowId };
}

const outboxOf = (workflowId: string) =>
  database.db
    .selectFrom('email_outbox')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('recipient')
    .execute();

describe('playbook email steps', () => {
  it('send each contact the check-in in their language, on day 4, with one-click unsubscribe and escaped account data', async () => {
    const account = await accountWith(
      [
        { name: 'Ana Pérez', email: 'ana@acme.example', locale: 'es' },
        { name: 'Bob Smith', email: 'bob@acme.example', locale: 'en' },
      ],
      { name: 'Acme <b>Bold</b> & Co' },
    );
    const { result, step, workflowId } = await run(account.id, 'allContacts');
    expect(result.endNodeId).toBe('done');
    expect(step.day).toBe(4);
    expect(step.summary).not.toMatch(/failed|skipped/);

    const [ana] = mailTo('ana@acme.example');
    const [bob] = mailTo('bob@acme.example');
    expect(ana!.subject).toBe('Día 4: ¿qué tal, Ana?');
    expect(bob!.subject).toBe('Day 4: how is it going, Bob?');
    expect(ana!.text).toContain('¿qué tal va Acme <b>Bold</b> & Co?');
    expect(ana!.html).toContain('Acme &lt;b&gt;Bold&lt;/b&gt; &amp; Co');
    expect(ana!.html).not.toContain('<b>Bold</b>');
    expect(ana!.html).toContain('Calle Mayor 1, 28013 Madrid');

    // RFC 8058: the header names a signed link for this contact; mail clients POST List-Unsubscribe=One-Click to it.
    expect(ana!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = /^<(https:\/\/stayflow\.test\/u\/([^>]+))>$/.exec(ana!.headers['list-unsubscribe']!)!;
    expect(unsubscribe).not.toBeNull();
    expect(await verifyLink(SECRET, unsubscribe[2]!, 'u')).toMatchObject({ a: account.id });
    expect(ana!.html).toContain(`href="${unsubscribe[1]}"`);

    // The guide's link goes through a signed redirect to the address the template wrote.
    const tracked = [...ana!.html.matchAll(/href="https:\/\/stayflow\.test\/r\/([^"]+)"/g)].map((m) => m[1]!);
    expect(tracked).toHaveLength(1);
    expect((await verifyLink(SECRET, tracked[0]!, 'r'))?.u).toBe('https://acme.example/guia?a=1&b=2');

    const rows = await outboxOf(workflowId);
    expect(rows.map((r) => [r.recipient, r.state, r.locale])).toEqual([
      ['ana@acme.example', 'sent', 'es'],
      ['bob@acme.example', 'sent', 'en'],
    ]);
    expect(rows[0]!.message_id).toBe(ana!.messageId);
  });

  describe('a worker that dies at each point of a send never sends twice and loses nothing it can know', () => {
    it.each(['beforeQueued', 'afterQueued', 'afterSent'] as const)('dies %s: sent exactly once', async (point) => {
      const email = `died-${point.toLowerCase()}@acme.example`;
      failpoints.set(email, point);
      const account = await accountWith([{ name: 'Carla', email }]);
      const { result, workflowId } = await run(account.id);
      expect(died).toContain(`${email}@${point}`);
      expect(result.endNodeId).toBe('done');
      expect(mailTo(email)).toHaveLength(1);
      const [row] = await outboxOf(workflowId);
      expect(row!.state).toBe('sent');
    });

    it.each([
      ['afterSending', 0],
      ['afterSmtpAccepted', 1],
    ] as const)(
      'dies %s (the window SMTP cannot close): not sent again, marked uncertain, routed as failed, resent by hand',
      async (point, arrived) => {
        const email = `died-${point.toLowerCase()}@acme.example`;
        failpoints.set(email, point);
        const account = await accountWith([{ name: 'Dani', email }]);
        const { result, step, workflowId } = await run(account.id);
        expect(died).toContain(`${email}@${point}`);
        expect(mailTo(email)).toHaveLength(arrived);
        expect(result.endNodeId).toBe('bounced');
        expect(step.summary).toMatch(/: failed$/);
        expect(step.why).toContain(`${email}: delivery uncertain`);
        const [row] = await outboxOf(workflowId);
        expect(row!.state).toBe('uncertain');

        const resent = await resendUncertain({ db: database.db, transport, from: FROM }, row!.id);
        expect(resent.state).toBe('sent');
        expect(mailTo(email)).toHaveLength(arrived + 1);
        // The same Message-ID: a receiving system that got the first copy can tell this one is the same email.
        expect(mailTo(email).at(-1)!.messageId).toBe(row!.message_id);
        await expect(resendUncertain({ db: database.db, transport, from: FROM }, row!.id)).rejects.toThrow(
          /only an email whose delivery is uncertain/i,
        );
      },
    );
  });

  it('a 550 fails the step for good with the reason and takes the failed route, without retrying', async () => {
    refusals.set('gone@acme.example', { code: 550, message: 'mailbox unavailable', times: Infinity });
    const account = await accountWith([{ name: 'Gone', email: 'gone@acme.example' }]);
    const { result, step, workflowId } = await run(account.id);
    expect(result.endNodeId).toBe('bounced');
    expect(step.why).toBe('gone@acme.example: 550 mailbox unavailable');
    const [row] = await outboxOf(workflowId);
    expect(row).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error: 'gone@acme.example: 550 mailbox unavailable',
    });
    expect(mailTo('gone@acme.example')).toHaveLength(0);
  });

  it('a template deleted after publishing fails the step (not retried) and takes the failed route', async () => {
    await saveTemplate(database.db, 'short-lived', {
      name: 'Short-lived',
      defaultLocale: 'en',
      locales: { en: { subject: 'Hello', body: 'Hello {{ contact.first_name }}' } },
    });
    const playbook = await checkInPlaybook('primaryContact', 'short-lived');
    await database.db.deleteFrom('email_templates').where('key', '=', 'short-lived').execute();
    const account = await accountWith([{ name: 'Eva', email: 'eva@acme.example' }]);
    const { result, step } = await run(account.id, 'primaryContact', playbook);
    expect(result.endNodeId).toBe('bounced');
    expect(step.why).toBe("the email template 'short-lived' no longer exists");
    expect(mailTo('eva@acme.example')).toHaveLength(0);
  });

  it('a 451 is retried with backoff and the email then goes out once', async () => {
    refusals.set('busy@acme.example', { code: 451, message: 'try again later', times: 2 });
    const account = await accountWith([{ name: 'Busy', email: 'busy@acme.example' }]);
    const { result, workflowId } = await run(account.id);
    expect(result.endNodeId).toBe('done');
    expect(mailTo('busy@acme.example')).toHaveLength(1);
    const [row] = await outboxOf(workflowId);
    expect(row).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('a relay that still refuses (451) on the last attempt fails the step for good, with the reason', async () => {
    refusals.set('stuck@acme.example', { code: 451, message: 'try again later', times: 1_000 });
    const account = await accountWith([{ name: 'Stuck', email: 'stuck@acme.example' }]);
    const deliver = emailDeliverer({
      db: database.db,
      transport,
      from: FROM,
      settings: { publicUrl: PUBLIC_URL, linkSecret: SECRET },
    });
    const step = (attempt: number, lastAttempt: boolean) => ({
      workflowId: 'stuck-run',
      runId: 'r1',
      stepKey: '3',
      attempt,
      lastAttempt,
      effect: {
        kind: 'email' as const,
        nodeId: 'checkin',
        label: 'Check-in',
        template: 'checkin',
        recipients: 'primaryContact' as const,
      },
      run: {
        accountId: account.id,
        playbookKey: 'stuck',
        playbookName: 'Stuck',
        version: 1,
        at: '2026-03-05T09:00:00Z',
        day: 4,
        enrolledAt: '2026-03-01T09:00:00Z',
      },
    });
    // Before the last attempt: thrown, for Temporal to retry; the row waits, queued, with the relay's answer.
    await expect(deliver(step(19, false))).rejects.toThrow('451');
    expect((await outboxOf('stuck-run'))[0]).toMatchObject({ state: 'queued' });
    const outcome = await deliver(step(20, true));
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome.detail).toContain('gave up after 20 attempts');
    expect((await outboxOf('stuck-run'))[0]).toMatchObject({ state: 'failed' });
    expect(mailTo('stuck@acme.example')).toHaveLength(0);
  });

  it('an unsubscribed contact receives nothing, and the run records the skip', async () => {
    const account = await accountWith([{ name: 'Left', email: 'left@acme.example', unsubscribed: true }]);
    const { result, step, workflowId } = await run(account.id);
    expect(result.endNodeId).toBe('done');
    expect(step.summary).toMatch(/: skipped$/);
    expect(step.why).toBe('left@acme.example: unsubscribed');
    expect(mailTo('left@acme.example')).toHaveLength(0);
    expect((await outboxOf(workflowId))[0]!.state).toBe('skipped');
  });

  it('a contact over the frequency cap (3 per 7 days) is skipped with the reason', async () => {
    const account = await accountWith([{ name: 'Often', email: 'often@acme.example' }]);
    for (let i = 0; i < 3; i++) await run(account.id);
    const { step } = await run(account.id);
    expect(step.why).toBe('often@acme.example: frequency cap reached (3 per 7d)');
    expect(mailTo('often@acme.example')).toHaveLength(3);
  });
});
