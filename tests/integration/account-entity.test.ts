import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import '../support/provided.js';
import { until } from '../support/until.js';
import { api } from '../support/api.js';

// The per-account entity workflow on the real dev server: events and field changes posted over the API start,
// steer and end playbook runs, in order.
const postEvent = (externalId: string, name: string, data: Record<string, unknown> = {}) =>
  api(
    'POST',
    '/api/events',
    { externalId, name, data, idempotencyKey: randomUUID() },
    {
      authorization: `Bearer ${inject('apiTokens').events}`,
    },
  );

/** trigger → wait for a kickoff (10 days) → end; exits with a goal on the first value event. */
function playbook(key: string, trigger: Record<string, unknown>) {
  return {
    schemaVersion: 1,
    key,
    name: `Entity ${key}`,
    triggers: [trigger],
    enrollment: { mode: 'oneAtATime' },
    exit: [
      { kind: 'event', label: 'First value reached', event: 'value.first', goal: { name: 'time to first value' } },
    ],
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      {
        id: 'kickoff',
        type: 'waitForEvent',
        label: 'Kickoff done?',
        config: { event: 'kickoff.done', timeout: { amount: 10, unit: 'days' } },
      },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'kickoff' },
      { id: 'e2', source: 'kickoff', sourceHandle: 'received', target: 'done' },
      { id: 'e3', source: 'kickoff', sourceHandle: 'timeout', target: 'done' },
    ],
  };
}

async function publish(definition: ReturnType<typeof playbook>) {
  expect((await api('POST', '/api/playbooks', { definition })).status).toBe(201);
  expect((await api('POST', `/api/playbooks/${definition.key}/publish`)).status).toBe(201);
}

async function newAccount(renewalDate = '2027-09-30', fields: Record<string, unknown> = {}) {
  const externalId = `entity-${randomUUID()}`;
  const res = await api('POST', '/api/accounts', {
    externalId,
    name: 'Entity Test Co',
    timeZone: 'Europe/Madrid',
    renewalDate,
    ...fields,
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, externalId };
}

const runsOf = async (accountId: string, key: string) =>
  (await api('GET', `/api/runs?account=${accountId}&playbook=${key}`)).body.items as {
    workflowId: string;
    status: string;
  }[];

describe('the account entity workflow', () => {
  it('enrolls on an event trigger, and ends the run with its goal when the exit event arrives', async () => {
    const key = `entity-event-${Date.now()}`;
    await publish(playbook(key, { type: 'event', event: 'trial.converted' }));
    const account = await newAccount();
    expect((await postEvent(account.externalId, 'trial.converted', { plan: 'pro' })).status).toBe(202);
    const [run] = await until('the run to start', async () => {
      const runs = await runsOf(account.id, key);
      return runs.length ? runs : undefined;
    });
    const started = await until('the run to wait for its kickoff', async () => {
      const detail = (await api('GET', `/api/runs/${encodeURIComponent(run!.workflowId)}`)).body;
      return detail.position?.waiting?.kind === 'event' ? detail : undefined;
    });
    expect(started.timeline[0].why).toContain('event trial.converted');

    expect((await postEvent(account.externalId, 'value.first')).status).toBe(202);
    const ended = await until('the run to exit', async () => {
      const detail = (await api('GET', `/api/runs/${encodeURIComponent(run!.workflowId)}`)).body;
      return detail.status === 'exited' ? detail : undefined;
    });
    expect(ended.timeline.slice(-2).map((e: { summary: string }) => e.summary)).toEqual([
      'Goal reached: time to first value',
      'Exited: First value reached',
    ]);
  });

  it('enrolls when an operator changes a field the playbook listens to', async () => {
    const key = `entity-field-${Date.now()}`;
    // Not a date field: a new account's dates count as set from nothing (catch-up), which would enroll it at once.
    await publish(playbook(key, { type: 'fieldChanged', field: 'segment' }));
    const account = await newAccount('2027-09-30', { segment: 'tech-touch' });
    const patched = await api('PATCH', `/api/accounts/${account.id}`, { segment: 'high-touch' });
    expect(patched.status).toBe(200);
    expect(patched.body.changed).toEqual(['segment']);
    const [run] = await until('the run to start', async () => {
      const runs = await runsOf(account.id, key);
      return runs.length ? runs : undefined;
    });
    const detail = await until('the run timeline', async () => {
      const d = (await api('GET', `/api/runs/${encodeURIComponent(run!.workflowId)}`)).body;
      return d.timeline?.length ? d : undefined;
    });
    expect(detail.timeline[0].why).toContain('segment changed from "tech-touch" to "high-touch"');
  });

  it('re-plans a running renewal run when the renewal date of its account moves (the shipped renewal cadence)', async () => {
    const day = 86_400_000;
    const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const renewal = Date.now() + 100 * day;
    const created = await api('POST', '/api/accounts', {
      externalId: `renewal-${randomUUID()}`,
      name: 'Renewal Moves Co',
      segment: 'tech-touch',
      timeZone: 'Europe/Madrid',
      renewalDate: isoDay(renewal),
    });
    expect(created.status).toBe(201);
    const accountId = created.body.id as string;
    const enrolled = await api('POST', '/api/playbooks/renewal-cadence/enrollments', { accountId });
    expect(enrolled.status).toBe(201);
    const id = encodeURIComponent(enrolled.body.workflowId);
    const waitingUntil = async (not?: string) =>
      until('the run to wait on a timer', async () => {
        const d = (await api('GET', `/api/runs/${id}`)).body;
        const at = d.position?.waiting?.kind === 'timer' ? (d.position.waiting.until as string) : undefined;
        return at && at !== not ? at : undefined;
      });
    const before = await waitingUntil();
    // 90 days before the renewal, at 09:00 in Madrid: ten days from now.
    expect(isoDay(Date.parse(before))).toBe(isoDay(renewal - 90 * day));

    const moved = await api('PATCH', `/api/accounts/${accountId}`, { renewalDate: isoDay(renewal + 30 * day) });
    expect(moved.body.changed).toEqual(['renewalDate']);
    const after = await waitingUntil(before);
    expect(isoDay(Date.parse(after))).toBe(isoDay(renewal - 60 * day));
    const detail = (await api('GET', `/api/runs/${id}`)).body;
    expect(detail.timeline.map((e: { summary: string }) => e.summary).join('\n')).toContain('re-planned');
    await api('POST', `/api/runs/${id}/cancel`);
  });
});
