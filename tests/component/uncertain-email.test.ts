import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { isLastAttempt, playbookActivities } from '../../activities/playbook/perform-effect.js';
import { AccountInput, ContactInput } from '../../engine/accounts/schema.js';
import { createContact } from '../../server/accounts/contacts.js';
import { createAccount } from '../../server/accounts/store.js';
import type { Principal } from '../../server/auth/principal.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { findOutboxRow, moveOutboxRow, openOutboxRow } from '../../server/email/outbox.js';
import { catcherLookup } from '../../server/email/relay-lookup.js';
import { emailDeliverer, type SendPoint } from '../../server/email/send-step.js';
import { settleAllUncertain, settleUncertain, type SettlePolicy } from '../../server/email/settle.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/email/smtp-catcher.js';
import { transmit } from '../../server/email/transmit.js';
import { createMailTransport, SENDING_SETTLES_AFTER_MS, type MailTransport } from '../../server/email/transport.js';
import { saveTemplate } from '../../server/templates/store.js';
import { createToken } from '../../server/auth/tokens.js';
import { startAccessApp } from '../support/access-app.js';

// Emails whose delivery is uncertain (a worker died between "sending" and "sent"), settled without guessing: the
// in-process catcher is asked by Message-ID (it stores each message before it answers 250); what it does not hold
// goes by the playbook's policy, audited. Real parts: PGlite and the catcher on 127.0.0.1.

const FROM = 'Acme Success <success@acme.example>';
let database: AppDatabase;
let catcher: SmtpCatcher;
let transport: MailTransport;
let accountId: string;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  catcher = await startSmtpCatcher({ db: database.db, port: 0 });
  transport = createMailTransport(catcher.url);
  const account = await createAccount(
    database.db,
    AccountInput.parse({ externalId: 'acme', name: 'Acme', locale: 'en', ownerCsmEmail: 'marta@acme.example' }),
  );
  accountId = account.id;
  await saveTemplate(database.db, 'hello', {
    name: 'Hello',
    defaultLocale: 'en',
    locales: { en: { subject: 'Hello {{ contact.first_name }}', body: 'Hi {{ contact.first_name }}.' } },
  });
}, 60_000);

afterAll(async () => {
  transport?.close();
  await catcher?.close();
  await database?.close();
});

const admin: Principal = {
  kind: 'user',
  userId: 'root',
  email: 'root@acme.example',
  name: null,
  role: 'admin',
  team: [],
  sessionId: 's',
};

const caughtWith = async (messageId: string) =>
  (await database.db.selectFrom('caught_mail').select('id').where('message_id', '=', messageId).execute()).length;

let rows = 0;
/** A rendered outbox row left `uncertain`, as a dead attempt leaves it; `arrived`: the relay took it first. */
async function uncertainRow(playbook: string, arrived: boolean) {
  rows += 1;
  const recipient = `person-${rows}@acme.example`;
  const row = await openOutboxRow(database.db, {
    workflowId: `playbook:${playbook}:account:${accountId}`,
    runId: 'r1',
    stepKey: `${rows}`,
    recipient,
    recipientName: null,
    nodeId: 'hello',
    accountId,
    contactId: null,
    templateKey: 'hello',
    messageIdDomain: 'acme.example',
  });
  const sending = (await moveOutboxRow(database.db, row.id, ['queued'], 'sending', {
    rendered: { subject: `Hello ${rows}`, html: '<p>Hi</p>', text: 'Hi', locale: 'en', headers: {} },
  }))!;
  if (arrived) await transmit(transport, FROM, sending);
  await moveOutboxRow(database.db, row.id, ['sending'], 'uncertain', {
    lastError: `${recipient}: delivery uncertain`,
  });
  return sending;
}

const audited = async (id: string) =>
  database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('target_id', '=', id)
    .where('action', '=', 'email.settled')
    .execute();

describe('settling uncertain emails', () => {
  const policy: SettlePolicy = { default: 'leave', playbooks: { 'onboarding-30d': 'resend' } };
  const deps = () => ({ db: database.db, transport, from: FROM, relayHolds: catcherLookup(database.db) });

  it('one the catcher holds is settled sent and not sent again, whatever the policy', async () => {
    const row = await uncertainRow('onboarding-30d', true);
    const { outcome, row: settled } = await settleUncertain(deps(), row.id, policy, { actor: admin });
    expect(outcome).toBe('held');
    expect(settled.state).toBe('sent');
    expect(settled.smtp_response).toBe('found at the relay by its Message-ID');
    expect(await caughtWith(row.message_id)).toBe(1);
    const [entry] = await audited(row.id);
    expect(entry).toMatchObject({ actor: 'root@acme.example' });
    expect(entry!.detail).toMatchObject({ outcome: 'held', state: 'sent', relay: 'holds it' });
  });

  it('one it does not hold is resent once under a resend policy, with the same Message-ID', async () => {
    const row = await uncertainRow('onboarding-30d', false);
    const { outcome, row: settled } = await settleUncertain(deps(), row.id, policy, { actor: admin });
    expect(outcome).toBe('resent');
    expect(settled.state).toBe('sent');
    expect(await caughtWith(row.message_id)).toBe(1);
    expect((await audited(row.id))[0]!.detail).toMatchObject({
      outcome: 'resent',
      policy: 'resend',
      playbook: 'onboarding-30d',
      relay: 'does not hold it',
    });
    // Settled once: a second settle is refused and sends nothing.
    await expect(settleUncertain(deps(), row.id, policy, { actor: admin })).rejects.toThrow(/this one is sent/);
    expect(await caughtWith(row.message_id)).toBe(1);
  });

  it('one it does not hold is left failed under a leave policy, with the reason, never sent', async () => {
    const row = await uncertainRow('nps-detractors', false);
    const { outcome, row: settled } = await settleUncertain(deps(), row.id, policy, { actor: admin });
    expect(outcome).toBe('left');
    expect(settled.state).toBe('failed');
    expect(settled.last_error).toContain('left unsent by policy (the relay does not hold it)');
    expect(await caughtWith(row.message_id)).toBe(0);
    expect((await audited(row.id))[0]!.detail).toMatchObject({ outcome: 'left', policy: 'leave' });
  });

  it('without a relay to ask, the policy decides every one, and the batch settles them all', async () => {
    const held = await uncertainRow('onboarding-30d', true);
    const lost = await uncertainRow('nps-detractors', false);
    const results = await settleAllUncertain({ db: database.db, transport, from: FROM }, policy, { actor: admin });
    expect(results).toEqual(
      expect.arrayContaining([
        { id: held.id, outcome: 'resent', state: 'sent' },
        { id: lost.id, outcome: 'left', state: 'failed' },
      ]),
    );
    // The relay could not be asked and the policy said resend: the one that had arrived went twice, by decision.
    expect(await caughtWith(held.message_id)).toBe(2);
    expect((await audited(held.id))[0]!.detail).toMatchObject({ relay: 'cannot say', policy: 'resend' });
    expect(
      await database.db.selectFrom('email_outbox').where('state', '=', 'uncertain').select('id').execute(),
    ).toEqual([]);
  });
});

describe('the settle action over HTTP', () => {
  it('settles one uncertain email (the catcher holds it), refuses a second settle (409), a bad policy (400), an unknown id (404)', async () => {
    const app = await startAccessApp({}, { database });
    try {
      // The API app of this test, with the catcher as its relay: it can be asked.
      app.context.mail = { transport, url: catcher.url, catching: true };
      const { secret } = await createToken(database.db, { name: 'settle test', scopes: ['runs:write'] });
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const row = await uncertainRow('onboarding-30d', true);
      const settled = await post(`/api/outbox/deliveries/${row.id}/settle`, { policy: { default: 'leave' } });
      expect(settled).toMatchObject({ status: 200, body: { outcome: 'held', email: { id: row.id, state: 'sent' } } });
      expect(await caughtWith(row.message_id)).toBe(1);
      expect((await post(`/api/outbox/deliveries/${row.id}/settle`, {})).status).toBe(409);
      expect((await post(`/api/outbox/deliveries/${row.id}/settle`, { policy: { default: 'maybe' } })).status).toBe(
        400,
      );
      expect((await post('/api/outbox/deliveries/00000000-0000-4000-8000-000000000000/settle', {})).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('the next attempt after a worker died mid-send asks the catcher', () => {
  const died: string[] = [];
  let contacts = 0;
  /** Attempt 1 dies at `point`; attempt 2 (the last the step has, when `lastAttempt`) goes on from its row. */
  async function send(point: SendPoint, lastAttempt = false) {
    contacts += 1;
    const email = `dies-${point.toLowerCase()}-${contacts}@acme.example`;
    await createContact(database.db, accountId, ContactInput.parse({ name: 'Dani', email }));
    const deliver = emailDeliverer({
      db: database.db,
      transport,
      from: FROM,
      settings: {
        publicUrl: 'https://stayflow.test',
        linkSecret: 'a-test-secret-that-is-long-enough-for-links',
        relayHolds: catcherLookup(database.db),
        failpoint(at, where) {
          if (where.attempt === 1 && where.recipient === email && at === point) {
            died.push(email);
            throw new Error(`worker killed at ${point}`);
          }
        },
      },
    });
    const step = (attempt: number) => ({
      workflowId: `wf-${email}`,
      runId: 'r1',
      stepKey: '3',
      attempt,
      lastAttempt: attempt > 1 && lastAttempt,
      effect: {
        kind: 'email' as const,
        nodeId: 'hello',
        label: 'Hello',
        template: 'hello',
        recipients: 'allContacts' as const,
      },
      run: {
        accountId,
        playbookKey: 'hello',
        playbookName: 'Hello',
        version: 1,
        at: '2026-03-05T09:00:00Z',
        day: 4,
        enrolledAt: '2026-03-01T09:00:00Z',
      },
    });
    await expect(deliver(step(1))).rejects.toThrow(`worker killed at ${point}`);
    const outcome = await deliver(step(2)).catch((error: Error) => error);
    const row = (await database.db.selectFrom('email_outbox').selectAll().where('recipient', '=', email).execute())[0]!;
    return { email, outcome, row, deliver, step };
  }

  /** The row's claim as if it were `ms` old. */
  const ageClaim = (id: string, ms: number) =>
    database.db
      .updateTable('email_outbox')
      .set({ updated_at: sql<Date>`now() - make_interval(secs => ${ms / 1000})` })
      .where('id', '=', id)
      .execute();

  it('dies after the SMTP accept: the catcher holds it, so the row is sent and the email went once', async () => {
    const { email, outcome, row } = await send('afterSmtpAccepted');
    expect(died).toContain(email);
    expect(outcome).toMatchObject({ status: 'done' });
    expect(row.state).toBe('sent');
    expect(await caughtWith(row.message_id)).toBe(1);
  });

  it('dies before the SMTP call: the catcher does not hold it, so once no attempt can still be sending it goes again, once', async () => {
    const { outcome, row, deliver, step } = await send('afterSending');
    // Right after the claim a slow attempt, not a dead one, could still deliver it: the step is tried again later.
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/the relay is asked again shortly/);
    expect((await findOutboxRow(database.db, row.id))!.state).toBe('sending');
    // Past the longest an SMTP transaction can last, "not held" is an answer: it never arrived, so it goes again.
    await ageClaim(row.id, SENDING_SETTLES_AFTER_MS + 1_000);
    expect(await deliver(step(3))).toMatchObject({ status: 'done' });
    expect(await findOutboxRow(database.db, row.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await caughtWith(row.message_id)).toBe(1);
    // A later attempt (a duplicate activity task) finds it sent and sends nothing.
    expect(await deliver(step(4))).toMatchObject({ status: 'done' });
    expect(await caughtWith(row.message_id)).toBe(1);
  });

  it('an attempt Temporal gave up on (alive, its heartbeat timed out) does not start the SMTP transaction', async () => {
    const { deliver, step } = await send('afterSmtpAccepted');
    // A fresh run's first attempt, already given up on: each recipient's row is claimed, then put back unsent.
    contacts += 1;
    const email = `given-up-${contacts}@acme.example`;
    await createContact(database.db, accountId, ContactInput.parse({ name: 'Eva', email }));
    const late = {
      ...step(1),
      workflowId: `wf-${email}`,
      effect: { ...step(1).effect, recipients: 'allContacts' as const },
    };
    await expect(deliver({ ...late, givenUp: () => true })).rejects.toThrow(/given up on before it sent/);
    const [claimed] = await database.db.selectFrom('email_outbox').selectAll().where('recipient', '=', email).execute();
    expect(claimed!.state).toBe('queued');
    expect(await caughtWith(claimed!.message_id)).toBe(0);
  });

  it('dies before the SMTP call on the last attempt the step has: the row is uncertain (the settle action decides)', async () => {
    const { outcome, row } = await send('afterSending', true);
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(row.state).toBe('uncertain');
    expect(await caughtWith(row.message_id)).toBe(0);
    expect((await findOutboxRow(database.db, row.id))!.state).toBe('uncertain');
  });
});

describe("the effect activity's last attempt comes from its own retry policy", () => {
  it('reads attempt and maximumAttempts from the activity info (0: unlimited)', () => {
    const policy = (maximumAttempts: number) => ({ maximumAttempts, initialInterval: 1000 }) as never;
    expect(isLastAttempt({ attempt: 3, retryPolicy: policy(3) })).toBe(true);
    expect(isLastAttempt({ attempt: 3, retryPolicy: policy(5) })).toBe(false);
    expect(isLastAttempt({ attempt: 50, retryPolicy: policy(0) })).toBe(false);
  });

  it('turns a temporary failure into failed on the last attempt the policy allows, and heartbeats meanwhile', async () => {
    let calls = 0;
    const activities = playbookActivities({
      db: database.db,
      deliver: {
        webhook: async (step) => {
          calls += 1;
          step.heartbeat?.();
          throw new Error('answered 503 Service Unavailable');
        },
      },
    });
    const request = {
      workflowId: 'wf-policy',
      runId: 'r1',
      effect: { kind: 'webhook', nodeId: 'crm', label: 'CRM', url: 'https://crm.example/x', method: 'POST' } as never,
    };
    const retryPolicy = { maximumAttempts: 3, initialInterval: 1000 } as never;
    const early = new MockActivityEnvironment({ attempt: 2, retryPolicy });
    await expect(early.run(activities.performEffect, request)).rejects.toThrow('answered 503');
    const last = new MockActivityEnvironment({ attempt: 3, retryPolicy });
    const beats: unknown[] = [];
    last.on('heartbeat', (d: unknown) => beats.push(d));
    expect(await last.run(activities.performEffect, request)).toEqual({
      status: 'failed',
      detail: 'gave up after 3 attempts: answered 503 Service Unavailable',
    });
    expect(calls).toBe(2);
    expect(beats.length).toBeGreaterThan(0);
  });
});
