import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { pino } from 'pino';
import { TEST_ADMIN_TOKEN, testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { callApi } from './stayflow-process.js';
import { startRelay, type Relay } from './relay.js';

// An SMTP relay that answers 451 (try again later) for a minute, then accepts: every email goes out exactly once.
// A relay that answers 550 for a mailbox: the step fails after one attempt and the run takes its failure route.

const playbook = {
  schemaVersion: 1,
  key: 'relay-refusals',
  name: 'One email, with a failure route',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    {
      id: 'mail',
      type: 'email',
      label: 'Hello',
      config: { template: 'relay-refusals', recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    {
      id: 'fixAddress',
      type: 'task',
      label: 'Fix the address',
      config: {
        assignee: 'ownerCsm',
        kind: 'review',
        title: 'The email bounced: check the contact address',
        dueIn: { amount: 1, unit: 'days' },
      },
    },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'mail' },
    { id: 'e2', source: 'mail', target: 'done' },
    { id: 'e3', source: 'mail', sourceHandle: 'failed', target: 'fixAddress' },
    { id: 'e4', source: 'fixAddress', target: 'done' },
  ],
};

// Retried sends and refused polls are the point here; only errors are worth a line in the test output.
const quiet = pino({ level: process.env.TEST_LOG_LEVEL ?? 'error' });

describe('an SMTP relay that refuses', () => {
  let relay: Relay;
  let stack: Stack;
  const call = (method: string, route: string, body?: unknown) =>
    callApi(stack.apiUrl!, TEST_ADMIN_TOKEN, method, route, body);
  const enrollNew = async (n: string, email: string) => {
    const account = await call('POST', '/api/accounts', {
      externalId: `relay-${n}`,
      name: `Relay ${n}`,
      ownerCsmName: 'Marta Ruiz',
      ownerCsmEmail: 'marta@stayflow.test',
    });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    expect((await call('POST', `/api/accounts/${account.body.id}/contacts`, { name: 'Ana', email })).status).toBe(201);
    const run = await call('POST', `/api/playbooks/${playbook.key}/enrollments`, { accountId: account.body.id });
    expect(run.status).toBe(201);
    return run.body.workflowId as string;
  };

  beforeAll(async () => {
    relay = await startRelay();
    const config = await testConfig({ SMTP_URL: `smtp://127.0.0.1:${relay.port}` });
    stack = await startStack(config, { logger: quiet, temporalCliPath: temporalCliPath() });
    const template = {
      name: 'Hello',
      defaultLocale: 'en',
      locales: { en: { subject: 'Hello {{ account.name }}', body: 'Hi {{ contact.first_name }}.' } },
    };
    expect((await call('PUT', '/api/templates/relay-refusals', template)).status).toBe(200);
    expect((await call('POST', '/api/playbooks', { definition: playbook })).status).toBe(201);
    expect((await call('POST', `/api/playbooks/${playbook.key}/publish`)).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.close();
    await relay?.close();
  });

  it('answering 451 for a minute, then accepting: every email goes out exactly once', async () => {
    relay.setMode('tempfail');
    const recipients = ['a', 'b', 'c', 'd', 'e'].map((n) => `tempfail-${n}@customer.example`);
    for (const [i, to] of recipients.entries()) await enrollNew(`tempfail-${i}`, to);
    await until(
      'the relay to refuse every first attempt',
      async () => (relay.refused >= recipients.length ? true : undefined),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    relay.setMode('accept');
    const received = (to: string) => relay.mail.filter((m) => m.to.includes(to));
    await until(
      'every email to arrive',
      async () => (recipients.every((to) => received(to).length > 0) ? true : undefined),
      180_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    for (const [i, to] of recipients.entries()) {
      expect(
        received(to).map((m) => m.subject),
        to,
      ).toEqual([`Hello Relay tempfail-${i}`]);
    }
    const rows = await stack.context.database.db
      .selectFrom('email_outbox')
      .select(['recipient', 'state', 'attempts'])
      .where('recipient', 'in', recipients)
      .execute();
    expect(rows.map((r) => r.state)).toEqual(recipients.map(() => 'sent'));
    expect(rows.every((r) => r.attempts > 1)).toBe(true);
  });

  it('answering 550 for a mailbox: failed after one attempt, and the run takes its failure route', async () => {
    const to = 'no-such-mailbox@customer.example';
    relay.rejectRecipients.add(to);
    const workflowId = await enrollNew('bounce', to);
    const task = await until(
      'the failure route’s task',
      async () =>
        stack.context.database.db
          .selectFrom('csm_tasks')
          .select(['title', 'workflow_id'])
          .where('workflow_id', '=', workflowId)
          .executeTakeFirst(),
      60_000,
    );
    expect(task.title).toBe('The email bounced: check the contact address');
    const row = await stack.context.database.db
      .selectFrom('email_outbox')
      .select(['state', 'attempts', 'last_error'])
      .where('recipient', '=', to)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/550/);
    expect(relay.mail.filter((m) => m.to.includes(to))).toEqual([]);
  });
});
