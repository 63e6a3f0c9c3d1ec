import type dns from 'node:dns';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccess } from '../../server/auth/bootstrap.js';
import type { Effect } from '../../engine/interpreter/types.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { deliveriesOfRun } from '../../server/effects/deliveries.js';
import { notifyDeliverer } from '../../server/effects/notify.js';
import type { OutboundPolicy } from '../../server/effects/outbound-guard.js';
import type { EffectStep } from '../../server/effects/perform.js';
import { webhookDeliverer } from '../../server/effects/webhook.js';
import { startAccessApp } from '../support/access-app.js';
import { receiverPolicy, startHttpsReceiver } from '../support/https-receiver.js';
import { testCa } from '../support/test-ca.js';

// Webhook steps and Slack against real sockets: private targets are refused before any connection, whatever the
// port and whether anything listens there; a name that resolves to a private address is refused on the address it
// resolves to; a redirect to a private address is refused; TLS is verified against the configured CA only.

let database: AppDatabase;
let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  receiver = await startHttpsReceiver((request) => {
    if (request.path === '/to-metadata')
      return { status: 307, headers: { location: 'https://169.254.169.254/latest/meta-data/' } };
    if (request.path === '/to-private-name') return { status: 307, headers: { location: 'https://localhost/x' } };
    return { status: 200 };
  });
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await database?.close();
});

let n = 0;
const step = (url: string): EffectStep<Extract<Effect, { kind: 'webhook' }>> => ({
  workflowId: `wf-guard-${++n}`,
  runId: 'run-1',
  stepKey: `${n}`,
  attempt: 1,
  lastAttempt: false,
  effect: { kind: 'webhook', nodeId: 'crm', label: 'Tell the CRM', url, method: 'POST', body: {} },
  run: undefined,
});

const deliver = (outbound?: OutboundPolicy) => webhookDeliverer({ db: database.db, outbound, timeoutMs: 5_000 });

describe('webhook steps refuse private targets', () => {
  it.each([
    ['loopback', 'https://127.0.0.1/hook', '127.0.0.1'],
    ['IPv6 loopback', 'https://[::1]/hook', '[::1]'],
    ['the cloud metadata endpoint', 'https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ["GCP's metadata name", 'https://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal'],
    ['a private network address', 'https://10.1.2.3/hook', '10.1.2.3'],
    ["AWS's IPv6 metadata (unique-local)", 'https://[fd00:ec2::254]/', '[fd00:ec2::254]'],
    ['localhost', 'https://localhost/hook', 'localhost'],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['a numeric spelling of loopback', 'https://2130706433/', '127.0.0.1'],
  ])('%s: failed for good, "refused: private address", no request made', async (_name, url, host) => {
    expect(await deliver()(step(url))).toEqual({
      status: 'failed',
      detail: `POST to ${host} refused: private address`,
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('says the same for an open port and a closed one: nothing to probe with', async () => {
    const open = new URL(receiver.url('/x')).port;
    const outcomes = await Promise.all([
      deliver()(step(`https://127.0.0.1:${open}/x`)),
      deliver()(step('https://127.0.0.1:1/x')),
    ]);
    expect(outcomes[0]).toEqual({ status: 'failed', detail: 'POST to 127.0.0.1 refused: private address' });
    expect(outcomes[1]).toEqual(outcomes[0]);
    const logged = await Promise.all(outcomes.map((_o, i) => deliveriesOfRun(database.db, `wf-guard-${n - 1 + i}`)));
    expect(logged.map((l) => l.map((d) => [d.status, d.detail, d.httpStatus]))).toEqual([
      [['failed', 'POST to 127.0.0.1 refused: private address', null]],
      [['failed', 'POST to 127.0.0.1 refused: private address', null]],
    ]);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a name that resolves to a private address, on the address it resolves to (no rebinding gap)', async () => {
    const resolvesToLoopback = ((_host: string, _options: unknown, callback: (...args: unknown[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof dns.lookup;
    const port = new URL(receiver.url('/x')).port;
    const outcome = await deliver({ allow: [], lookup: resolvesToLoopback })(
      step(`https://hooks.example.com:${port}/x`),
    );
    expect(outcome).toEqual({ status: 'failed', detail: 'POST to hooks.example.com refused: private address' });
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses http:// even where https would be allowed', async () => {
    expect(await deliver(receiverPolicy())(step('http://127.0.0.1/x'))).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('refused: only https:// addresses are called'),
    });
  });

  it('calls an allow-listed receiver, and refuses its redirect to a private address', async () => {
    expect(await deliver(receiverPolicy())(step(receiver.url('/ok')))).toMatchObject({ status: 'done' });
    expect(await deliver(receiverPolicy())(step(receiver.url('/to-metadata')))).toEqual({
      status: 'failed',
      detail: `POST ${receiver.url('/to-metadata')} answered 307 Temporary Redirect, redirecting to 169.254.169.254: refused: private address`,
    });
    expect(await deliver(receiverPolicy())(step(receiver.url('/to-private-name')))).toMatchObject({
      detail: expect.stringContaining('redirecting to localhost: refused: private address'),
    });
  });

  it('verifies TLS always: the allow-listed receiver without its CA fails the certificate check', async () => {
    await expect(deliver({ allow: ['127.0.0.1'] })(step(receiver.url('/ok')))).rejects.toThrow(
      /self-signed certificate in certificate chain|unable to (get|verify)/,
    );
    expect(testCa().caPem).toContain('BEGIN CERTIFICATE');
  });
});

describe('Slack notifications', () => {
  it('refuse a private Slack address the same way', async () => {
    const notify = notifyDeliverer({
      db: database.db,
      transport: undefined as never,
      mailFrom: 'x@y.example',
      slackWebhookUrl: 'https://169.254.169.254/services/x',
    });
    const outcome = await notify({
      ...step('https://unused.example'),
      effect: { kind: 'notify', nodeId: 'ping', label: 'Ping', channel: 'slack', message: 'Hi' },
    });
    expect(outcome).toEqual({ status: 'failed', detail: 'Slack refused: private address' });
  });
});

describe('publishing', () => {
  const hook = (url: string) => ({
    schemaVersion: 1,
    key: `hook-${++n}`,
    name: 'Tell the CRM',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'crm', type: 'webhook', label: 'Flag in CRM', config: { url, method: 'POST' } },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'crm' },
      { id: 'e2', source: 'crm', target: 'done' },
    ],
  });

  it('refuses a webhook step to a literal private address on its step, and publishes a public one', async () => {
    const app = await startAccessApp({ STAYFLOW_BOOTSTRAP_TOKEN: 'sf_outbound-publish-test-0123456789abcdef' });
    try {
      await bootstrapAccess(app.db, app.context.config, pino({ level: 'silent' }));
      const admin = {
        authorization: 'Bearer sf_outbound-publish-test-0123456789abcdef',
        'content-type': 'application/json',
      };
      const post = (path: string, body: unknown) =>
        fetch(`${app.url}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });

      const metadata = hook('https://169.254.169.254/latest/meta-data/');
      const saved = await (await post('/api/playbooks', { definition: metadata })).json();
      expect(saved.issues).toMatchObject([{ nodeId: 'crm', code: 'private_address' }]);
      const published = await post(`/api/playbooks/${metadata.key}/publish`, {});
      expect(published.status).toBe(422);
      const refusal = (await published.json()).error;
      expect(refusal.issues[0]).toMatchObject({ nodeId: 'crm', code: 'private_address' });
      expect(refusal.issues[0].message).toContain('169.254.169.254, a private address');
      expect((await post('/api/playbooks/validate', { definition: metadata })).status).toBe(422);

      const crm = hook('https://crm.example.com/hooks/stayflow');
      expect((await post('/api/playbooks', { definition: crm })).status).toBe(201);
      expect((await post(`/api/playbooks/${crm.key}/publish`, {})).status).toBe(201);
    } finally {
      await app.close();
    }
  });
});
