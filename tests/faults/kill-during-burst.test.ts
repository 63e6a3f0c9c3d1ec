import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { until } from '../support/until.js';
import { startRelay, type Relay } from './relay.js';
import { call, stayflowProcess, type StayflowProcess } from './stayflow-process.js';

// kill -9 of the whole `npm start` tree (launcher, server and worker, embedded Temporal) at random moments while
// 50 runs send three emails one minute apart, against a relay that survives the kills; restarted each time with the
// same one command. What a customer would notice is what is asserted: every email arrives, none twice, the planned
// minute between them shrinks by no more than the outage, and the outbox ends with no row left in doubt (a send
// cut off mid-transaction is settled by asking the relay's message lookup, as with a provider's).

const ACCOUNTS = 50;
const GAP_MS = 60_000;
const SUBJECTS = ['Fault drill 1', 'Fault drill 2', 'Fault drill 3'];
const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const playbook = {
  schemaVersion: 1,
  key: 'fault-drill',
  name: 'Fault drill',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    ...[1, 2, 3].flatMap((n) => [
      {
        id: `mail${n}`,
        type: 'email',
        label: `Drill ${n}`,
        config: { template: `fault-drill-${n}`, recipients: 'primaryContact', sendWindow: 'immediate' },
      },
      ...(n < 3
        ? [
            {
              id: `wait${n}`,
              type: 'wait',
              label: 'A minute',
              config: { kind: 'duration', amount: 1, unit: 'minutes' },
            },
          ]
        : []),
    ]),
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'mail1' },
    { id: 'e1', source: 'mail1', target: 'wait1' },
    { id: 'e2', source: 'wait1', target: 'mail2' },
    { id: 'e3', source: 'mail2', target: 'wait2' },
    { id: 'e4', source: 'wait2', target: 'mail3' },
    { id: 'e5', source: 'mail3', target: 'done' },
  ],
};

describe('kill -9 of the whole npm start tree during bursts of email', () => {
  let relay: Relay;
  let stayflow: StayflowProcess;
  let dataDir: string;

  beforeAll(async () => {
    relay = await startRelay();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-faults-'));
    stayflow = stayflowProcess('kill-during-burst', {
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      SMTP_URL: `smtp://127.0.0.1:${relay.port}`,
      SMTP_MESSAGE_LOOKUP_URL: relay.lookupUrl,
      STAYFLOW_BOOTSTRAP_TOKEN: `sf_faults-${randomBytes(16).toString('hex')}`,
      LOG_LEVEL: 'warn',
    });
    await stayflow.start();
  });
  afterAll(async () => {
    await stayflow?.stop();
    await relay?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'every run completes; every email arrives once; the planned minute between emails holds',
    async () => {
      for (const [i, subject] of SUBJECTS.entries()) {
        const saved = await call(stayflow, 'PUT', `/api/templates/fault-drill-${i + 1}`, {
          name: subject,
          defaultLocale: 'en',
          locales: { en: { subject, body: `Hi {{ contact.first_name }}, this is drill email ${i + 1}.` } },
        });
        expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      }
      expect((await call(stayflow, 'POST', '/api/playbooks', { definition: playbook })).status).toBe(201);
      expect((await call(stayflow, 'POST', `/api/playbooks/${playbook.key}/publish`)).status).toBe(201);
      const recipients: string[] = [];
      for (let n = 0; n < ACCOUNTS; n++) {
        const account = await call(stayflow, 'POST', '/api/accounts', { externalId: `drill-${n}`, name: `Drill ${n}` });
        expect(account.status).toBe(201);
        const email = `drill-${n}@customer.example`;
        const contact = await call(stayflow, 'POST', `/api/accounts/${account.body.id}/contacts`, {
          name: `Ana ${n}`,
          email,
        });
        expect(contact.status).toBe(201);
        recipients.push(email);
        // Enrolled as they are created: the first emails of all 50 go out within the same few seconds.
        const enrolled = await call(stayflow, 'POST', `/api/playbooks/${playbook.key}/enrollments`, {
          accountId: account.body.id,
        });
        expect(enrolled.status).toBe(201);
      }

      // Two kills: one in the first burst, one around the second (a minute later), each at a random moment.
      // Each outage lasts from the kill until the restarted tree answers /api/health.
      const outages: number[] = [];
      const outage = async () => {
        const killedAt = Date.now();
        stayflow.killHard();
        await sleep(random(1_000, 5_000));
        await stayflow.start();
        outages.push(Date.now() - killedAt);
      };
      await sleep(random(0, 8_000));
      await outage();
      await sleep(random(20_000, 50_000));
      await outage();
      const longest = Math.max(...outages);

      const received = (to: string) => relay.mail.filter((m) => m.to.includes(to));
      await until(
        'every account to receive its three emails',
        async () => (recipients.every((to) => received(to).length >= 3) ? true : undefined),
        6 * 60_000,
      );
      // Late duplicates would arrive after the third email: give a retried send time to show up.
      await sleep(10_000);

      for (const to of recipients) {
        const mail = received(to).sort((a, b) => a.at - b.at);
        expect(
          mail.map((m) => m.subject),
          `${to}: each email once, in order`,
        ).toEqual(SUBJECTS);
        for (let i = 1; i < mail.length; i++) {
          // What the run guarantees (engine/interpreter/run-playbook.ts, LATE_MS): a step that ends a minute or
          // more late re-anchors the run's clock, so the next wait counts from when it really happened; a shorter
          // delay keeps the plan's instants. Either way a gap shrinks by no more than the outage that delayed it —
          // never to the seconds apart emails went out before the re-anchor. Five seconds of slack for the send.
          expect(mail[i]!.at - mail[i - 1]!.at, `${to}: the gap before "${mail[i]!.subject}"`).toBeGreaterThan(
            GAP_MS - Math.min(longest, GAP_MS) - 5_000,
          );
        }
      }

      // The outbox agrees with the relay: every row sent, none left uncertain or in flight.
      const rows = await until(
        'the outbox to settle',
        async () => {
          const page = await call(stayflow, 'GET', '/api/outbox/deliveries?limit=500');
          const items = (page.body?.items ?? []) as { state: string }[];
          return items.length >= ACCOUNTS * 3 && items.every((r) => r.state === 'sent') ? items : undefined;
        },
        120_000,
      ).catch(async (error: Error) => {
        const page = await call(stayflow, 'GET', '/api/outbox/deliveries?limit=500');
        const counts: Record<string, number> = {};
        for (const r of page.body?.items ?? []) counts[r.state] = (counts[r.state] ?? 0) + 1;
        throw new Error(`${error.message}: ${JSON.stringify(counts)}`);
      });
      expect(rows).toHaveLength(ACCOUNTS * 3);

      const running = await call(stayflow, 'GET', `/api/runs?playbook=${playbook.key}&status=running`);
      expect(running.body.items).toEqual([]);
    },
    15 * 60_000,
  );
});
