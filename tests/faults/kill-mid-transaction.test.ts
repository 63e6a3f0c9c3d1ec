import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENDING_SETTLES_AFTER_MS } from '../../server/email/transport.js';
import { until } from '../support/until.js';
import { sleep } from './email-drill.js';
import { startRelay, type Relay } from './relay.js';
import { call, singleProcessStack, type StayflowProcess } from './stayflow-process.js';

// The one moment the burst drills only hit by chance: kill -9 of the whole `npm start` tree while an email is inside
// its SMTP transaction — claimed `sending`, its data at the relay, no 250 yet. The relay (which survives) never
// stored it and says so through its message lookup. What a customer would notice: the email arrives once, and not
// before the earlier attempt could no longer be sending it; the outbox ends `sent`, the run completes.

const playbook = {
  schemaVersion: 1,
  key: 'mid-transaction',
  name: 'Killed mid-transaction',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    {
      id: 'mail',
      type: 'email',
      label: 'The one email',
      config: { template: 'mid-transaction', recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'mail' },
    { id: 'e2', source: 'mail', target: 'done' },
  ],
};

describe('kill -9 of the whole npm start tree inside an SMTP transaction', () => {
  let relay: Relay;
  let stayflow: StayflowProcess;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    relay = await startRelay();
    ({ stayflow, close } = await singleProcessStack('kill-mid-transaction', relay));
  });
  afterAll(async () => {
    await close?.();
    await relay?.close();
  });

  it(
    'the relay does not hold it: sent again once, after the earlier attempt can no longer be sending',
    async () => {
      const template = {
        name: 'The one email',
        defaultLocale: 'en',
        locales: { en: { subject: 'Sent once', body: 'Hi {{ contact.first_name }}.' } },
      };
      expect((await call(stayflow, 'PUT', '/api/templates/mid-transaction', template)).status).toBe(200);
      expect((await call(stayflow, 'POST', '/api/playbooks', { definition: playbook })).status).toBe(201);
      expect((await call(stayflow, 'POST', `/api/playbooks/${playbook.key}/publish`)).status).toBe(201);
      const account = await call(stayflow, 'POST', '/api/accounts', { externalId: 'mid-1', name: 'Mid Transaction' });
      expect(account.status).toBe(201);
      const email = 'mid@customer.example';
      expect(
        (await call(stayflow, 'POST', `/api/accounts/${account.body.id}/contacts`, { name: 'Ana', email })).status,
      ).toBe(201);

      relay.stallRecipients.add(email);
      const enrolled = await call(stayflow, 'POST', `/api/playbooks/${playbook.key}/enrollments`, {
        accountId: account.body.id,
      });
      expect(enrolled.status).toBe(201);
      await until('the send to stall inside its SMTP transaction', async () => (relay.stalled > 0 ? true : undefined));
      stayflow.killHard();
      const killedAt = Date.now();
      relay.stallRecipients.delete(email);
      await sleep(2_000);
      await stayflow.start();

      const received = () => relay.mail.filter((m) => m.to.includes(email));
      await until('the email to arrive', async () => (received().length > 0 ? true : undefined), 5 * 60_000);
      // Not sent again while the killed attempt could, as far as anyone can tell, still have been sending it.
      expect(received()[0]!.at - killedAt).toBeGreaterThan(SENDING_SETTLES_AFTER_MS - 5_000);
      await sleep(10_000);
      expect(received().map((m) => m.subject)).toEqual(['Sent once']);

      const deliveries = await call(stayflow, 'GET', '/api/outbox/deliveries?limit=10');
      const rows = (deliveries.body.items as { recipient: string; state: string; attempts: number }[]).filter(
        (r) => r.recipient === email,
      );
      expect(rows).toMatchObject([{ state: 'sent', attempts: 2 }]);
      const run = await until('the run to complete', async () => {
        const detail = await call(stayflow, 'GET', `/api/runs/${encodeURIComponent(enrolled.body.workflowId)}`);
        return detail.body.status === 'completed' ? detail.body : undefined;
      });
      expect(run.timeline.map((e: { nodeId: string }) => e.nodeId)).toEqual(['start', 'mail', 'done']);
    },
    10 * 60_000,
  );
});
