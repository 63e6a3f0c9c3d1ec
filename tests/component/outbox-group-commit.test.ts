import { ValuesNode, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput, ContactInput } from '../../engine/accounts/schema.js';
import type { Effect } from '../../engine/interpreter/types.js';
import { createContact } from '../../server/accounts/contacts.js';
import { createAccount } from '../../server/accounts/store.js';
import { openDatabase, type AppDatabase, type Db } from '../../server/db/database.js';
import { emailDeliverer, type EmailSettings } from '../../server/email/send-step.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/email/smtp-catcher.js';
import { createMailTransport, type MailTransport } from '../../server/email/transport.js';
import { performEffect } from '../../server/effects/perform.js';
import { saveTemplate } from '../../server/templates/store.js';

// The outbox's short path: a first attempt writes each email's row already `sending`, in one statement with the
// step log, and marks it `sent` after SMTP; concurrent sends share those statements (group commit). What must
// hold whatever fails: every contact gets the email once, every step is in its run's step log. Real parts: PGlite
// and the in-process catcher, which stores each message before it answers 250.

const FROM = 'Acme Success <success@acme.example>';
let database: AppDatabase;
let catcher: SmtpCatcher;
let transport: MailTransport;
let made = 0;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  catcher = await startSmtpCatcher({ db: database.db, port: 0 });
  transport = createMailTransport(catcher.url);
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

/** Accounts with one contact each (or none), and their contacts' addresses. */
async function accounts(count: number, withContact = true) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const n = ++made;
      const account = await createAccount(
        database.db,
        AccountInput.parse({ externalId: `acct-${n}`, name: `Account ${n}` }),
      );
      const email = `person-${n}@acme.example`;
      if (withContact) await createContact(database.db, account.id, ContactInput.parse({ name: 'Pat', email }));
      return { accountId: account.id, email };
    }),
  );
}

const isClaim = (node: RootOperationNode) =>
  node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'email_outbox';

/**
 * Every statement the path sends, and the writes (each its own commit) among them. `fail` makes a statement fail
 * as a lost connection would; `slowFirstClaim` holds the first claim's answer a moment, so the sends behind it
 * gather into one batch.
 */
function counted(opts: { fail?: (node: RootOperationNode) => boolean; slowFirstClaim?: boolean } = {}) {
  const seen = { statements: 0, writes: 0 };
  let slow: unknown;
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      if (opts.fail?.(node)) throw new Error('the database went away mid-batch');
      if (opts.slowFirstClaim && slow === undefined && isClaim(node)) slow = queryId;
      seen.statements++;
      const text = node.kind === 'RawNode' ? node.sqlFragments.join('').trim().toLowerCase() : '';
      if (['InsertQueryNode', 'UpdateQueryNode'].includes(node.kind) || /^(insert|update)/.test(text)) seen.writes++;
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (queryId === slow) await new Promise((resolve) => setTimeout(resolve, 500));
      return result;
    },
  };
  return { db: database.db.withPlugin(plugin), seen };
}

const effect: Effect = {
  kind: 'email',
  nodeId: 'hello',
  label: 'Hello',
  template: 'hello',
  recipients: 'primaryContact',
};
let runs = 0;
function stepFor(db: Db, settings: Partial<EmailSettings> = {}) {
  const deliver = emailDeliverer({
    db,
    transport,
    from: FROM,
    settings: {
      publicUrl: 'https://stayflow.test',
      linkSecret: 'a-test-secret-that-is-long-enough-for-links',
      ...settings,
    },
  });
  return (accountId: string, workflowId: string, attempt: number) =>
    performEffect(
      { db, deliver: { email: deliver } },
      {
        workflowId,
        runId: 'r1',
        stepKey: '3',
        attempt,
        effect,
        run: {
          accountId,
          playbookKey: 'hello',
          playbookName: 'Hello',
          version: 1,
          at: '2026-03-05T09:00:00Z',
          day: 0,
          enrolledAt: '2026-03-05T09:00:00Z',
        },
      },
    );
}
const runIds = (count: number) => Array.from({ length: count }, () => `playbook:hello:run-${++runs}`);

const received = async (email: string) =>
  (await database.db.selectFrom('caught_mail').select('envelope_to').execute()).filter((m) =>
    m.envelope_to.includes(email),
  ).length;
const outboxOf = (workflowIds: string[]) =>
  database.db
    .selectFrom('email_outbox')
    .select(['workflow_id', 'state', 'attempts'])
    .where('workflow_id', 'in', workflowIds)
    .execute();
const stepLogOf = (workflowIds: string[]) =>
  database.db.selectFrom('run_steps').select('workflow_id').where('workflow_id', 'in', workflowIds).execute();

describe('the outbox short path', () => {
  it('sends twelve concurrent steps once each, with two writes per email at most (before: four)', async () => {
    const people = await accounts(12);
    const ids = runIds(12);
    const { db, seen } = counted({ slowFirstClaim: true });
    const send = stepFor(db);
    const outcomes = await Promise.all(people.map((p, i) => send(p.accountId, ids[i]!, 1)));
    expect(outcomes.map((o) => o?.status)).toEqual(Array(12).fill('done'));
    for (const p of people) expect(await received(p.email)).toBe(1);
    expect((await outboxOf(ids)).map((r) => [r.state, r.attempts])).toEqual(Array(12).fill(['sent', 1]));
    expect(await stepLogOf(ids)).toHaveLength(12);
    // One claim (row and step log) and one `sent` mark per email at most; here the sends that gathered behind the
    // slow first claim shared theirs.
    expect(seen.writes).toBeLessThan(2 * 12);
    expect(seen.statements / 12).toBeLessThanOrEqual(8);
  });

  it('fails every send of a claim batch the database refused, sends none of them, and their retries send once', async () => {
    const people = await accounts(8);
    const ids = runIds(8);
    let refused = 0;
    // The first claim statement that carries two emails or more fails, as a connection lost mid-batch would.
    const { db } = counted({
      slowFirstClaim: true,
      fail: (node) => {
        if (refused > 0 || node.kind !== 'InsertQueryNode' || !isClaim(node)) return false;
        const rows = node.values && ValuesNode.is(node.values) ? node.values.values.length : 0;
        if (rows < 2) return false;
        refused = rows;
        return true;
      },
    });
    const send = stepFor(db);
    const first = await Promise.allSettled(people.map((p, i) => send(p.accountId, ids[i]!, 1)));
    const failed = first.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed.length).toBe(refused);
    expect(refused).toBeGreaterThanOrEqual(2);
    for (const i of failed) expect(await received(people[i]!.email)).toBe(0);

    const again = await Promise.all(people.map((p, i) => send(p.accountId, ids[i]!, 2)));
    expect(again.map((o) => o?.status)).toEqual(Array(8).fill('done'));
    for (const p of people) expect(await received(p.email)).toBe(1);
    expect((await outboxOf(ids)).map((r) => r.state)).toEqual(Array(8).fill('sent'));
    expect(await stepLogOf(ids)).toHaveLength(8);
  });

  it('a step that died before its claim left nothing; its retry logs the step once and sends once', async () => {
    const [person] = await accounts(1);
    const [id] = runIds(1);
    const send = stepFor(database.db, {
      failpoint(point, at) {
        if (point === 'afterQueued' && at.attempt === 1) throw new Error('worker killed after rendering');
      },
    });
    await expect(send(person!.accountId, id!, 1)).rejects.toThrow('worker killed after rendering');
    expect(await outboxOf([id!])).toEqual([]);
    expect(await received(person!.email)).toBe(0);

    expect((await send(person!.accountId, id!, 2))?.status).toBe('done');
    expect(await received(person!.email)).toBe(1);
    expect(await stepLogOf([id!])).toHaveLength(1);
  });

  it('records the step in the run’s step log when there is nobody to write to', async () => {
    const [lonely] = await accounts(1, false);
    const [id] = runIds(1);
    const outcome = await stepFor(database.db)(lonely!.accountId, id!, 1);
    expect(outcome).toMatchObject({ status: 'skipped', detail: expect.stringContaining('has no contacts') });
    expect(await stepLogOf([id!])).toHaveLength(1);
    expect(await outboxOf([id!])).toEqual([]);
  });
});
