import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { startDevServer, type DevServer } from '../../server/temporal/dev-server.js';
import { discountOffer, discountOfferTemplate } from '../support/approval-playbooks.js';
import { freePort } from '../support/free-port.js';
import { pino } from 'pino';
import { TEST_ADMIN_TOKEN, testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { callApi } from './stayflow-process.js';

// The Temporal server (with its data on disk) stopped for 30 s and started again while runs wait on an approval
// and on a timer: a decision made during the outage is refused with 503 and changes nothing; afterwards the timer
// that came due during the outage fires, the decision lands, and each email goes out once.

const OUTAGE_MS = 30_000;

const waitThenMail = {
  schemaVersion: 1,
  key: 'outage-timer',
  name: 'Timer across an outage',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    { id: 'wait', type: 'wait', label: 'A minute', config: { kind: 'duration', amount: 1, unit: 'minutes' } },
    {
      id: 'mail',
      type: 'email',
      label: 'After the wait',
      config: { template: 'outage-timer', recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'mail' },
    { id: 'e3', source: 'mail', target: 'done' },
  ],
};

// Retried sends and refused polls are the point here; only errors are worth a line in the test output.
const quiet = pino({ level: process.env.TEST_LOG_LEVEL ?? 'error' });

describe('the Temporal server stopped for 30 s during approval waits and timers', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-outage-'));
  const cliPath = temporalCliPath()!;
  let port: number;
  let temporal: DevServer | undefined;
  let stack: Stack;
  const startTemporal = async () =>
    startDevServer({ cliPath, port, uiPort: await freePort(), dbFile: path.join(dir, 'temporal.db') });

  const call = (method: string, route: string, body?: unknown) =>
    callApi(stack.apiUrl!, TEST_ADMIN_TOKEN, method, route, body);
  const caught = async (to: string) =>
    (await stack.context.database.db.selectFrom('caught_mail').select(['subject', 'envelope_to']).execute()).filter(
      (m) => m.envelope_to.includes(to),
    );

  beforeAll(async () => {
    port = await freePort();
    temporal = await startTemporal();
    const config = await testConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    stack = await startStack(config, { logger: quiet, temporalCliPath: cliPath });
  });
  afterAll(async () => {
    await stack?.close();
    await temporal?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a decision during the outage, then every wait fires and every decision lands once', async () => {
    expect((await call('PUT', '/api/templates/discount-offer', discountOfferTemplate)).status).toBe(200);
    const timerTemplate = {
      name: 'After the wait',
      defaultLocale: 'en',
      locales: { en: { subject: 'The minute is up', body: 'Hi {{ contact.first_name }}.' } },
    };
    expect((await call('PUT', '/api/templates/outage-timer', timerTemplate)).status).toBe(200);
    for (const definition of [discountOffer(), waitThenMail]) {
      expect((await call('POST', '/api/playbooks', { definition })).status).toBe(201);
      expect((await call('POST', `/api/playbooks/${definition.key}/publish`)).status).toBe(201);
    }
    const accountWith = async (n: string, email: string) => {
      const account = await call('POST', '/api/accounts', {
        externalId: `outage-${n}`,
        name: `Outage ${n}`,
        ownerCsmName: 'Marta Ruiz',
        ownerCsmEmail: 'marta@stayflow.test',
      });
      expect(account.status, JSON.stringify(account.body)).toBe(201);
      expect((await call('POST', `/api/accounts/${account.body.id}/contacts`, { name: 'Ana', email })).status).toBe(
        201,
      );
      return account.body.id as string;
    };
    const offerAccount = await accountWith('offer', 'offer@customer.example');
    const timerAccount = await accountWith('timer', 'timer@customer.example');
    expect((await call('POST', '/api/playbooks/discount-offer/enrollments', { accountId: offerAccount })).status).toBe(
      201,
    );
    expect((await call('POST', '/api/playbooks/outage-timer/enrollments', { accountId: timerAccount })).status).toBe(
      201,
    );
    const approval = await until('the approval in the inbox', async () => {
      const list = await call('GET', `/api/approvals?view=open&account=${offerAccount}`);
      return (list.body.items as { id: string; status: string }[] | undefined)?.find((a) => a.status === 'pending');
    });

    await temporal!.stop();
    temporal = undefined;
    const down = Date.now();
    const refused = await call('POST', `/api/approvals/${approval.id}/decision`, {
      decision: 'approved',
      values: { discount: 15 },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    // Answered by the 3 s reachability probe (server/temporal/reachable.ts), not after the client's ≈ 20 s of retries.
    expect(Date.now() - down).toBeLessThan(8_000);
    expect((await call('GET', `/api/approvals/${approval.id}`)).body.status).toBe('pending');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - down))));
    temporal = await startTemporal();

    // The one-minute timer came due while the server was down (or just after): it fires once the worker is back.
    await until(
      'the timer email',
      async () => ((await caught('timer@customer.example')).length ? true : undefined),
      120_000,
    );
    const decided = await until(
      'a decision to land after the restart',
      async () => {
        const res = await call('POST', `/api/approvals/${approval.id}/decision`, {
          decision: 'approved',
          values: { discount: 15 },
        });
        return res.status === 503 ? undefined : res;
      },
      60_000,
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await until(
      'the offer email',
      async () => ((await caught('offer@customer.example')).length ? true : undefined),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await caught('offer@customer.example')).map((m) => m.subject)).toEqual([
      'A 15 % discount for Outage offer',
    ]);
    expect((await caught('timer@customer.example')).map((m) => m.subject)).toEqual(['The minute is up']);
  });
});
