// The email drill the kill tests run: three emails one minute apart, sent as soon as a run reaches them, to the
// account's primary contact; and the setup both tests share (templates, the playbook, 50 accounts enrolled).
import { expect } from 'vitest';
import { EFFECT_RETRY } from '../../engine/activity-contracts.js';
import { until } from '../support/until.js';
import type { Relay } from './relay.js';
import { call, type StayflowProcess } from './stayflow-process.js';

export const ACCOUNTS = 50;
export const GAP_MS = 60_000;
/** EFFECT_RETRY.initialInterval (engine/activity-contracts.ts): an effect cut off by a kill is retried after it. */
const FIRST_RETRY_MS = 5_000;
export const SUBJECTS = ['Fault drill 1', 'Fault drill 2', 'Fault drill 3'];
export const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const playbook = {
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

/** Saves the three templates, publishes the drill and enrols ACCOUNTS accounts as they are created; their emails. */
export async function startDrill(stayflow: StayflowProcess): Promise<string[]> {
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
  return recipients;
}

/**
 * What a customer would notice, after the kills: every email arrives, none twice, in order; the planned minute
 * between them shrinks by no more than the longest outage; the outbox ends with every row sent (none uncertain or in
 * flight); no run is left running.
 */
export async function checkDrill(stayflow: StayflowProcess, relay: Relay, recipients: string[], longest: number) {
  const received = (to: string) => relay.mail.filter((m) => m.to.includes(to));
  const outboxStates = async () => {
    const page = await call(stayflow, 'GET', '/api/outbox/deliveries?limit=500').catch(() => undefined);
    const counts: Record<string, number> = {};
    const errors = new Set<string>();
    for (const r of (page?.body?.items ?? []) as { state: string; lastError?: string | null }[]) {
      counts[r.state] = (counts[r.state] ?? 0) + 1;
      if (r.lastError && errors.size < 3) errors.add(r.lastError);
    }
    return `outbox rows by state ${JSON.stringify(counts)}${errors.size ? `, errors: ${[...errors].join(' | ')}` : ''}`;
  };
  await until(
    'every account to receive its three emails',
    async () => (recipients.every((to) => received(to).length >= 3) ? true : undefined),
    6 * 60_000,
  ).catch(async (error: Error) => {
    // How far it got: accounts by emails received, and the outbox's rows by state (last_error says why).
    const byCount: Record<number, number> = {};
    for (const to of recipients) byCount[received(to).length] = (byCount[received(to).length] ?? 0) + 1;
    throw new Error(
      `${error.message}: accounts by emails received ${JSON.stringify(byCount)}; ${await outboxStates()}`,
    );
  });
  // Late duplicates would arrive after the third email: give a retried send time to show up.
  await sleep(10_000);

  expect(EFFECT_RETRY.initialInterval, 'FIRST_RETRY_MS follows the retry policy').toBe(
    `${FIRST_RETRY_MS / 1000} seconds`,
  );
  // What the run measured, for a reader of the lane's output: the outages and the narrowest gaps.
  const gaps = recipients
    .flatMap((to) => {
      const at = received(to)
        .map((m) => m.at)
        .sort((a, b) => a - b);
      return at.slice(1).map((t, i) => t - at[i]!);
    })
    .sort((a, b) => a - b);
  console.log(
    `[drill] longest outage ${(longest / 1000).toFixed(1)} s; narrowest gaps ${gaps
      .slice(0, 5)
      .map((g) => (g / 1000).toFixed(1))
      .join(', ')} s`,
  );
  for (const to of recipients) {
    const mail = received(to).sort((a, b) => a.at - b.at);
    expect(
      mail.map((m) => m.subject),
      `${to}: each email once, in order`,
    ).toEqual(SUBJECTS);
    for (let i = 1; i < mail.length; i++) {
      // What the run guarantees (engine/interpreter/run-playbook.ts, LATE_MS): a step that ends a minute or
      // more late re-anchors the run's clock, so the next wait counts from when it really happened; a shorter
      // delay keeps the plan's instants. Either way a gap shrinks by no more than what delayed the email before
      // it: the outage, then the step's first retry interval (an attempt the kill cut off is retried after it) —
      // never to the seconds apart emails went out before the re-anchor. Five seconds of slack for the send.
      expect(mail[i]!.at - mail[i - 1]!.at, `${to}: the gap before "${mail[i]!.subject}"`).toBeGreaterThan(
        GAP_MS - Math.min(longest + FIRST_RETRY_MS, GAP_MS) - 5_000,
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
    throw new Error(`${error.message}: ${await outboxStates()}`);
  });
  expect(rows).toHaveLength(ACCOUNTS * 3);

  const running = await call(stayflow, 'GET', `/api/runs?playbook=${playbook.key}&status=running`);
  expect(running.body.items).toEqual([]);
}
