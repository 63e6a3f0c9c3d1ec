import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyWebhook } from '../../server/effects/signature.js';
import '../support/provided.js';
import { startHttpsReceiver } from '../support/https-receiver.js';
import { until } from '../support/until.js';
import { api } from '../support/api.js';

// A playbook's effects on the real stack (dev server, worker, API, PGlite, SMTP catcher): a CSM task in the inbox,
// webhooks to an HTTPS receiver on this machine (200, a 500 retried, a 404 routed by `failed`), notifications and
// a field written back to the account.

let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
beforeAll(async () => {
  receiver = await startHttpsReceiver((request, seen) => {
    if (request.path === '/crm') return { status: 200 };
    if (request.path === '/flaky') return { status: seen === 1 ? 500 : 200 };
    return { status: 404 };
  });
});
afterAll(() => receiver?.close());

function effectsPlaybook(key: string, flag: string) {
  return {
    schemaVersion: 1,
    key,
    name: 'Rescue effects',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      {
        id: 'call',
        type: 'task',
        label: 'Rescue call',
        config: {
          assignee: 'ownerCsm',
          kind: 'call',
          title: 'Call the champion',
          instructions: 'Usage fell by half; find out why.',
          dueIn: { amount: 1, unit: 'days' },
        },
      },
      {
        id: 'review',
        type: 'task',
        label: 'Manager review',
        config: {
          assignee: 'csmManager',
          kind: 'review',
          title: 'Review the rescue',
          dueIn: { amount: 3, unit: 'days' },
        },
      },
      {
        id: 'crm',
        type: 'webhook',
        label: 'Flag in CRM',
        config: { url: receiver.url('/crm'), method: 'POST', body: { stage: 'at-risk' } },
      },
      { id: 'flaky', type: 'webhook', label: 'Flaky sync', config: { url: receiver.url('/flaky'), method: 'PUT' } },
      { id: 'missing', type: 'webhook', label: 'Old endpoint', config: { url: receiver.url('/gone'), method: 'POST' } },
      {
        id: 'fixSync',
        type: 'task',
        label: 'Fix the sync',
        config: { assignee: 'ownerCsm', kind: 'other', title: 'CRM sync failed', dueIn: { amount: 1, unit: 'days' } },
      },
      { id: 'slack', type: 'notify', label: 'Slack the team', config: { channel: 'slack', message: 'Rescue started' } },
      {
        id: 'mail',
        type: 'notify',
        label: 'Heads-up',
        config: { channel: 'email', message: 'Rescue started for {{ account.name }} on day {{ run.day }}' },
      },
      { id: 'stage', type: 'updateField', label: 'Mark rescue', config: { field: 'lifecycleStage', value: 'rescue' } },
      { id: 'flag', type: 'updateField', label: 'Flag rescued', config: { field: flag, value: true } },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'call' },
      { id: 'e2', source: 'call', target: 'review' },
      { id: 'e3', source: 'review', target: 'crm' },
      { id: 'e4', source: 'crm', target: 'flaky' },
      { id: 'e5', source: 'flaky', target: 'missing' },
      { id: 'e6', source: 'missing', target: 'slack' },
      { id: 'e7', source: 'missing', sourceHandle: 'failed', target: 'fixSync' },
      { id: 'e8', source: 'fixSync', target: 'slack' },
      { id: 'e9', source: 'slack', target: 'mail' },
      { id: 'e10', source: 'mail', target: 'stage' },
      { id: 'e11', source: 'stage', target: 'flag' },
      { id: 'e12', source: 'flag', target: 'done' },
    ],
  };
}

/** Enrolls an account when `field` changes: proof that a field a run writes reaches the account's workflow. */
function followerPlaybook(key: string, field: string) {
  return {
    schemaVersion: 1,
    key,
    name: 'Follows a field',
    triggers: [{ type: 'fieldChanged', field }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'done' }],
  };
}

describe('playbook effects on the real stack', () => {
  it('creates the CSM task, delivers webhooks once each, notifies, and writes the field', async () => {
    const key = `effects-${Date.now()}`;
    const flag = `rescued_${Date.now()}`;
    expect((await api('POST', '/api/account-fields', { name: flag, type: 'boolean' })).status).toBe(201);
    const follower = `${key}-follower`;
    expect((await api('POST', '/api/playbooks', { definition: followerPlaybook(follower, flag) })).status).toBe(201);
    expect((await api('POST', `/api/playbooks/${follower}/publish`)).status).toBe(201);
    const csm = `csm-${randomUUID()}@acme.example`;
    const created = await api('POST', '/api/accounts', {
      externalId: `effects-${randomUUID()}`,
      name: 'Effects Co',
      ownerCsmEmail: csm,
      lifecycleStage: 'adoption',
    });
    expect(created.status).toBe(201);
    const accountId = created.body.id as string;
    expect((await api('POST', '/api/playbooks', { definition: effectsPlaybook(key, flag) })).status).toBe(201);
    expect((await api('POST', `/api/playbooks/${key}/publish`)).status).toBe(201);
    const enrolled = await api('POST', `/api/playbooks/${key}/enrollments`, { accountId });
    expect(enrolled.status).toBe(201);
    const workflowId = enrolled.body.workflowId as string;

    // The 500 is retried after Temporal's first backoff (5 s); give the run room on a busy machine.
    const run = await until(
      'the run to complete',
      async () => {
        const { body } = await api('GET', `/api/runs/${encodeURIComponent(workflowId)}`);
        return body.status === 'completed' ? body : undefined;
      },
      120_000,
    );

    // The CSM's inbox: the call, and the task the failed webhook routed to; the manager's review is unassigned.
    const inbox = await api('GET', `/api/tasks?assignee=${encodeURIComponent(csm)}`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((t: { title: string }) => t.title).sort()).toEqual([
      'CRM sync failed',
      'Call the champion',
    ]);
    const call = inbox.body.items.find((t: { title: string }) => t.title === 'Call the champion');
    expect(call).toMatchObject({
      status: 'open',
      kind: 'call',
      instructions: 'Usage fell by half; find out why.',
      assignee: { role: 'ownerCsm', email: csm },
      account: { id: accountId, name: 'Effects Co' },
      playbook: { key, name: 'Rescue effects', version: 1 },
      run: { workflowId, nodeId: 'call', url: `/api/runs/${encodeURIComponent(workflowId)}` },
    });
    const dueIn = Date.parse(call.dueAt) - Date.parse(run.startedAt);
    expect(dueIn).toBeGreaterThan(23 * 3_600_000);
    expect(dueIn).toBeLessThan(25 * 3_600_000);
    const review = (await api('GET', `/api/tasks?assignee=unassigned&accountId=${accountId}`)).body.items;
    expect(review).toHaveLength(1);
    expect(review[0].assignee.note).toBe(
      'unassigned: account Effects Co has no CSM manager (csmManagerEmail is empty)',
    );

    // Webhooks: the CRM got exactly one signed request with the run's context and a stable idempotency key.
    const [crm, ...extra] = receiver.to('/crm');
    expect(extra).toHaveLength(0);
    expect(verifyWebhook(inject('webhookSecret'), crm!.body, crm!.headers)).toBe(true);
    expect(JSON.parse(crm!.body)).toMatchObject({
      stage: 'at-risk',
      stayflow: { accountId, playbook: { key, version: 1 }, step: { nodeId: 'crm' }, workflowId },
    });
    const flaky = receiver.to('/flaky');
    expect(flaky.map((r) => r.method)).toEqual(['PUT', 'PUT']);
    expect(flaky[0]!.headers['idempotency-key']).toBe(flaky[1]!.headers['idempotency-key']);
    expect(flaky[0]!.headers['idempotency-key']).not.toBe(crm!.headers['idempotency-key']);
    expect(receiver.to('/gone')).toHaveLength(1);

    // The run's story says what each delivery did, and why the 404 took the failed route.
    const byNode = (nodeId: string) => run.timeline.filter((e: { nodeId: string }) => e.nodeId === nodeId);
    expect(byNode('missing')[0]).toMatchObject({
      summary: `POST ${receiver.url('/gone')}: failed`,
      why: `POST ${receiver.url('/gone')} answered 404 Not Found`,
    });
    expect(byNode('fixSync')).toHaveLength(1);
    expect(byNode('slack')[0]).toMatchObject({ why: 'Slack is not configured (SLACK_WEBHOOK_URL is unset)' });
    const deliveries = (await api('GET', `/api/runs/${encodeURIComponent(workflowId)}/deliveries`)).body.items;
    const flakyAttempts = deliveries.filter((d: { target: string }) => d.target === receiver.url('/flaky'));
    expect(
      flakyAttempts.map((d: { attempt: number; status: string; httpStatus: number }) => [
        d.attempt,
        d.status,
        d.httpStatus,
      ]),
    ).toEqual([
      [1, 'retrying', 500],
      [2, 'done', 200],
    ]);

    // The CSM got the notify step's email and one email per task assigned to them, each once; the account holds
    // the field the playbook wrote.
    const mail = await until('the notification emails', async () => {
      const { body } = await api('GET', `/api/outbox?to=${encodeURIComponent(csm)}`);
      return body.items.length >= 3 ? (body.items as { subject: string }[]) : undefined;
    });
    expect(mail.map((m) => m.subject).sort()).toEqual([
      '[Stayflow] Heads-up — Effects Co',
      '[Stayflow] New task: CRM sync failed — Effects Co',
      '[Stayflow] New task: Call the champion — Effects Co',
    ]);
    // The message's placeholders are filled from what the run knows, as the preview fills them.
    const heads = (mail as { id: string; subject: string }[]).find((m) => m.subject.startsWith('[Stayflow] Heads-up'))!;
    expect((await api('GET', `/api/outbox/${heads.id}`)).body.text).toContain('Rescue started for Effects Co on day 0');
    const account = await api('GET', `/api/accounts/${accountId}`);
    expect(account.body.lifecycleStage).toBe('rescue');
    expect(account.body.custom[flag]).toBe(true);
    // The account's workflow heard of the change: the playbook listening to that field enrolled the account.
    await until('the field-changed trigger to enroll the account', async () => {
      const { body } = await api('GET', `/api/runs?account=${accountId}&playbook=${follower}`);
      return body.items.length === 1 ? true : undefined;
    });
  }, 180_000);
});
