import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput } from '../../engine/accounts/schema.js';
import { createAccount } from '../../server/accounts/store.js';
import { createUser } from '../../server/auth/users.js';
import { notifyDeliverer } from '../../server/effects/notify.js';
import type { MailTransport } from '../../server/email/transport.js';
import { saveSlack } from '../../server/settings/slack.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';
import { receiverPolicy, startHttpsReceiver } from '../support/https-receiver.js';

// Slack set in Settings: an address the outbound guard would not call is refused (422, nothing written), the
// webhook is never answered or audited in full, and a notify step posts to the one Settings names.

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;
let ops: BrowserSession;
let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;

beforeAll(async () => {
  app = await startAccessApp();
  await createUser(app.db, { email: 'ops@acme.example', role: 'ops', password: PASSWORD });
  ops = new BrowserSession(app);
  expect((await ops.signIn('ops@acme.example', PASSWORD)).status).toBe(200);
  receiver = await startHttpsReceiver(() => ({ status: 200 }));
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await app?.close();
});

const stored = async () =>
  (await app.db.selectFrom('install_settings').select('section').where('section', '=', 'slack').execute()).length;

describe('Slack in Settings', () => {
  it('refuses a private address or plain http with the reason, and writes nothing', async () => {
    const privateHook = await ops.request('PUT', '/api/settings/slack', { webhookUrl: 'https://10.0.0.5/hook' });
    expect(privateHook.status).toBe(422);
    expect(JSON.stringify(privateHook.body)).toContain('Stayflow will not post to 10.0.0.5');
    const plain = await ops.request('PUT', '/api/settings/slack', { webhookUrl: 'http://hooks.slack.com/services/x' });
    expect(plain.status).toBe(400);
    expect(JSON.stringify(plain.body)).toContain('must be an https:// incoming-webhook address');
    expect(await stored()).toBe(0);
    expect((await ops.request('GET', '/api/settings/slack')).body).toMatchObject({ configured: false, source: null });
  });

  it('keeps the webhook secret: answered and audited masked', async () => {
    const url = 'https://hooks.slack.com/services/T0001/B0001/secretsecret42';
    const saved = await ops.request('PUT', '/api/settings/slack', { webhookUrl: url });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      configured: true,
      source: 'settings',
      webhookUrl: 'https://hooks.slack.com/…et42',
      updatedBy: 'ops@acme.example',
    });
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'settings.slack.saved')
      .execute();
    expect(JSON.stringify(audit)).not.toContain('secretsecret');
    expect(audit).toHaveLength(1);
  });

  it('posts a notify step to the webhook Settings names', async () => {
    await saveSlack(
      app.db,
      { webhookUrl: receiver.url('/from-settings') },
      { kind: 'system', name: 'test' },
      { envUrl: undefined, outbound: receiverPolicy() },
    );
    const account = await createAccount(app.db, AccountInput.parse({ externalId: 'acme', name: 'Acme' }));
    const deliver = notifyDeliverer({
      db: app.db,
      transport: {} as MailTransport,
      mailFrom: 'Stayflow <s@x.example>',
      outbound: receiverPolicy(),
    });
    const outcome = await deliver({
      workflowId: 'wf-slack',
      runId: 'run-1',
      stepKey: 'ping',
      attempt: 1,
      lastAttempt: false,
      effect: { kind: 'notify', nodeId: 'ping', label: 'Ping', channel: 'slack', message: 'Acme is at risk' },
      run: {
        accountId: account.id,
        playbookKey: 'rescue-high',
        playbookName: 'Rescue',
        version: 1,
        at: '2026-03-02T09:00:00Z',
        day: 0,
        enrolledAt: '2026-03-02T09:00:00Z',
      },
    });
    expect(outcome).toEqual({ status: 'done', detail: 'posted to Slack' });
    expect(JSON.parse(receiver.to('/from-settings')[0]!.body).text).toContain('Acme is at risk');
  });
});
