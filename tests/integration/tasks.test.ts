import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import '../support/provided.js';
import { until } from '../support/until.js';
import { api } from '../support/api.js';

// The CSM's side on the real stack: the task inbox and its 4xx answers, the approvals inbox, and archiving a
// playbook (no one enrolls; a run already going finishes on its version).

const trigger = { id: 'start', type: 'trigger', label: 'Start', config: {} };
const end = { id: 'done', type: 'end', label: 'Done', config: {} };

function taskPlaybook(key: string) {
  return {
    schemaVersion: 1,
    key,
    name: 'Kickoff task',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'everyTime' },
    nodes: [
      trigger,
      {
        id: 'kickoff',
        type: 'task',
        label: 'Kickoff',
        config: {
          assignee: 'ownerCsm',
          kind: 'meeting',
          title: 'Book the kickoff',
          dueIn: { amount: 2, unit: 'days' },
        },
      },
      end,
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'kickoff' },
      { id: 'e2', source: 'kickoff', target: 'done' },
    ],
  };
}

function approvalPlaybook(key: string, triggers: unknown[] = [{ type: 'manual' }]) {
  return {
    schemaVersion: 1,
    key,
    name: `Renewal discount ${key}`,
    triggers,
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      trigger,
      {
        id: 'discount',
        type: 'approval',
        label: 'Discount',
        config: {
          kind: 'discount',
          title: 'Renewal discount 15%',
          details: 'They renew for two years if we take 15% off.',
          timeout: { amount: 2, unit: 'days' },
        },
      },
      end,
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'discount' },
      { id: 'e2', source: 'discount', sourceHandle: 'approved', target: 'done' },
      { id: 'e3', source: 'discount', sourceHandle: 'rejected', target: 'done' },
      { id: 'e4', source: 'discount', sourceHandle: 'timeout', target: 'done' },
    ],
  };
}

async function publish(definition: { key: string }) {
  expect((await api('POST', '/api/playbooks', { definition })).status).toBe(201);
  expect((await api('POST', `/api/playbooks/${definition.key}/publish`)).status).toBe(201);
}

async function newAccount(ownerCsmEmail: string) {
  const externalId = `tasks-${randomUUID()}`;
  const res = await api('POST', '/api/accounts', {
    externalId,
    name: `Inbox Co ${externalId.slice(-4)}`,
    ownerCsmEmail,
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, externalId, name: res.body.name as string };
}

const runStatus = async (workflowId: string) =>
  (await api('GET', `/api/runs/${encodeURIComponent(workflowId)}`)).body as { status: string; timeline: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any

const approvalsOf = async (query: string) => (await api('GET', `/api/approvals?${query}`)).body.items as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the task inbox', () => {
  it('completes, refuses a second completion, reopens and dismisses a task', async () => {
    const key = `task-inbox-${Date.now()}`;
    const csm = `csm-${randomUUID()}@acme.example`;
    await publish(taskPlaybook(key));
    const account = await newAccount(csm);
    expect((await api('POST', `/api/playbooks/${key}/enrollments`, { accountId: account.id })).status).toBe(201);
    const [task] = await until('the task in the inbox', async () => {
      const { body } = await api('GET', `/api/tasks?assignee=${encodeURIComponent(csm)}&status=open`);
      return body.items.length ? body.items : undefined;
    });
    expect(task).toMatchObject({
      title: 'Book the kickoff',
      kind: 'meeting',
      overdue: false,
      account: { id: account.id },
    });
    expect((await api('GET', `/api/tasks/${task.id}`)).body.title).toBe('Book the kickoff');

    const done = await api('POST', `/api/tasks/${task.id}/complete`, { note: 'Booked for Tuesday' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', note: 'Booked for Tuesday' });
    expect(Date.parse(done.body.completedAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await api('POST', `/api/tasks/${task.id}/complete`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already done .*reopen it first/);
    expect((await api('GET', `/api/tasks?assignee=${encodeURIComponent(csm)}&status=open`)).body.items).toHaveLength(0);

    expect((await api('POST', `/api/tasks/${task.id}/reopen`)).body).toMatchObject({ status: 'open', note: null });
    const dismissed = await api('POST', `/api/tasks/${task.id}/dismiss`, { note: 'They booked it themselves' });
    expect(dismissed.body).toMatchObject({ status: 'dismissed', note: 'They booked it themselves' });
  }, 60_000);

  it('answers bad ids, filters and bodies with a clear 4xx', async () => {
    const notUuid = await api('GET', '/api/tasks/42');
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.message).toContain('must be a task id (a UUID)');
    expect((await api('GET', `/api/tasks/${randomUUID()}`)).status).toBe(404);
    expect((await api('POST', `/api/tasks/${randomUUID()}/complete`, {})).status).toBe(404);
    expect((await api('GET', '/api/tasks?status=finished')).status).toBe(400);
    const badDate = await api('GET', '/api/tasks?dueBefore=tomorrow');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toContain('dueBefore');
    expect((await api('POST', `/api/tasks/${randomUUID()}/complete`, { note: 'x'.repeat(2001) })).status).toBe(400);
    expect((await api('POST', `/api/tasks/${randomUUID()}/complete`, { note: 7 })).status).toBe(400);
    expect((await api('GET', '/api/runs/no-such-run/deliveries')).status).toBe(404);
  });
});

describe('the approvals inbox', () => {
  it('lists what waits on a CSM, with what it asks and until when, until it is decided', async () => {
    const key = `approvals-${Date.now()}`;
    const csm = `csm-${randomUUID()}@acme.example`;
    await publish(approvalPlaybook(key));
    const account = await newAccount(csm);
    const enrolled = await api('POST', `/api/playbooks/${key}/enrollments`, { accountId: account.id });
    const run = encodeURIComponent(enrolled.body.workflowId);
    const [waiting] = await until('the approval in the inbox', async () => {
      const items = await approvalsOf(`view=open&run=${run}`);
      return items.length ? items : undefined;
    });
    expect(waiting).toMatchObject({
      status: 'pending',
      kind: 'discount',
      title: 'Renewal discount 15%',
      details: 'They renew for two years if we take 15% off.',
      assignee: { role: 'ownerCsm', email: csm },
      account: { id: account.id, name: account.name, ownerCsmEmail: csm },
      playbook: { key, name: `Renewal discount ${key}`, version: 1 },
      run: { workflowId: enrolled.body.workflowId, nodeId: 'discount' },
    });
    const waitsFor = Date.parse(waiting.dueAt) - Date.now();
    expect(waitsFor).toBeGreaterThan(47 * 3_600_000);
    expect(waitsFor).toBeLessThan(49 * 3_600_000);
    expect(await approvalsOf(`view=open&playbook=${key}&account=someone-else`)).toEqual([]);

    const decided = await api('POST', `/api/approvals/${waiting.id}/decision`, { decision: 'approved' });
    expect(decided.status).toBe(200);
    // Generous: on a loaded 2-core machine a workflow task alone has taken over 6 s.
    await until(
      'the run to finish',
      async () => ((await runStatus(enrolled.body.workflowId)).status === 'completed' ? true : undefined),
      60_000,
    );
    expect(await approvalsOf(`view=open&run=${run}`)).toEqual([]);
    expect((await approvalsOf(`view=decided&run=${run}`)).map((a) => a.status)).toEqual(['approved']);
  }, 120_000);

  it('refuses a view it does not have and a cursor it did not give out', async () => {
    expect((await api('GET', '/api/approvals?view=everything')).status).toBe(400);
    expect((await api('GET', '/api/approvals?view=decided&cursor=not-ours')).status).toBe(400);
  });
});

describe('archiving a playbook', () => {
  it('enrolls no one while archived, and lets a run started before finish on its version', async () => {
    const key = `archive-${Date.now()}`;
    const csm = `csm-${randomUUID()}@acme.example`;
    await publish(approvalPlaybook(key));
    const before = await newAccount(csm);
    const enrolled = await api('POST', `/api/playbooks/${key}/enrollments`, { accountId: before.id });
    expect(enrolled.status).toBe(201);
    const [waiting] = await until('the run to wait for its approval', async () => {
      const items = await approvalsOf(`view=open&playbook=${key}`);
      return items.length ? items : undefined;
    });

    const archived = await api('POST', `/api/playbooks/${key}/archive`);
    expect(archived.status).toBe(200);
    expect(Date.parse(archived.body.archivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await api('GET', `/api/playbooks/${key}`)).body.playbook.archivedAt).toBe(archived.body.archivedAt);
    const listed = (await api('GET', '/api/playbooks')).body.items.find((p: { key: string }) => p.key === key);
    expect(listed.archivedAt).toBe(archived.body.archivedAt);

    const after = await newAccount(csm);
    const refused = await api('POST', `/api/playbooks/${key}/enrollments`, { accountId: after.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'archived' });
    expect(refused.body.error.message).toContain(`Playbook '${key}' is archived, so it enrolls no one`);

    const decided = await api('POST', `/api/approvals/${waiting.id}/decision`, { decision: 'rejected' });
    expect(decided.status).toBe(200);
    const finished = await until('the run started before archiving to finish', async () => {
      const run = await runStatus(enrolled.body.workflowId);
      return run.status === 'completed' ? run : undefined;
    });
    expect(finished.timeline.map((e: { summary: string }) => e.summary)).toContain(
      'Approval rejected: Renewal discount 15%',
    );

    const unarchived = await api('POST', `/api/playbooks/${key}/unarchive`);
    expect(unarchived.body.archivedAt).toBeNull();
    expect((await api('POST', `/api/playbooks/${key}/enrollments`, { accountId: after.id })).status).toBe(201);
    expect((await api('POST', '/api/playbooks/no-such-playbook/archive')).status).toBe(404);
  }, 60_000);

  it('is skipped by triggers: an event enrolls the account in the live playbook but not the archived one', async () => {
    const event = `renewal.asked.${Date.now()}`;
    const live = `archive-live-${Date.now()}`;
    const gone = `archive-gone-${Date.now()}`;
    await publish(approvalPlaybook(live, [{ type: 'event', event }]));
    await publish(approvalPlaybook(gone, [{ type: 'event', event }]));
    expect((await api('POST', `/api/playbooks/${gone}/archive`)).status).toBe(200);
    const account = await newAccount(`csm-${randomUUID()}@acme.example`);
    const posted = await api(
      'POST',
      '/api/events',
      { externalId: account.externalId, name: event, idempotencyKey: randomUUID() },
      { authorization: `Bearer ${inject('apiTokens').events}` },
    );
    expect(posted.status).toBe(202);
    await until('the live playbook to enroll the account', async () => {
      const { body } = await api('GET', `/api/runs?account=${account.id}&playbook=${live}`);
      return body.items.length ? true : undefined;
    });
    // Both playbooks are matched in one pass over the same event, so the archived one would have started by now.
    const runs = (await api('GET', `/api/runs?account=${account.id}`)).body.items.map(
      (r: { playbook: string }) => r.playbook,
    );
    expect(runs).toEqual([live]);
  }, 60_000);
});
