import { describe, expect, it } from 'vitest';
import { api } from '../support/api.js';
import { until } from '../support/until.js';
import '../support/provided.js';

// Moving running accounts to a newer version, on the real dev server: 50 runs waiting in version 1 are moved to
// version 2 with one step mapped by hand; when their wait ends each continues at the mapped step, and its next
// email is version 2's, sent once.

const RUNS = 50;
const KEY = 'migration-it';

const version = (second: { id: string; template: string }) => ({
  schemaVersion: 1,
  key: KEY,
  name: 'Migration drill',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    {
      id: 'hello',
      type: 'email',
      label: 'Hello',
      config: { template: 'migration-it-hello', recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    { id: 'wait', type: 'wait', label: 'Wait a day', config: { kind: 'duration', amount: 1, unit: 'days' } },
    {
      id: second.id,
      type: 'email',
      label: 'Follow-up',
      config: { template: second.template, recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'hello' },
    { id: 'e2', source: 'hello', target: 'wait' },
    { id: 'e3', source: 'wait', target: second.id },
    { id: 'e4', source: second.id, target: 'done' },
  ],
});

const template = (subject: string) => ({
  name: subject,
  defaultLocale: 'en',
  locales: { en: { subject, body: 'Hi {{ contact.first_name }}.' } },
});

describe('moving waiting runs from version 1 to version 2', () => {
  it('moves each run to its mapped step; the next email is the new version’s, sent once', async () => {
    for (const [key, subject] of [
      ['migration-it-hello', 'Hello from the drill'],
      ['migration-it-v1', 'Follow-up of version 1'],
      ['migration-it-v2', 'Follow-up of version 2'],
    ]) {
      expect((await api('PUT', `/api/templates/${key}`, template(subject!))).status).toBe(200);
    }
    expect(
      (await api('POST', '/api/playbooks', { definition: version({ id: 'followUp', template: 'migration-it-v1' }) }))
        .status,
    ).toBe(201);
    expect((await api('POST', `/api/playbooks/${KEY}/publish`)).status).toBe(201);

    const recipients: string[] = [];
    const workflowIds: string[] = [];
    for (let n = 0; n < RUNS; n++) {
      const account = await api('POST', '/api/accounts', { externalId: `migration-it-${n}`, name: `Migration ${n}` });
      expect(account.status).toBe(201);
      const email = `migration-${n}@customer.example`;
      expect((await api('POST', `/api/accounts/${account.body.id}/contacts`, { name: `Eva ${n}`, email })).status).toBe(
        201,
      );
      const run = await api('POST', `/api/playbooks/${KEY}/enrollments`, { accountId: account.body.id });
      expect(run.status).toBe(201);
      recipients.push(email);
      workflowIds.push(run.body.workflowId);
    }
    await until(
      'every run to wait at "Wait a day"',
      async () => {
        const waiting = await api('GET', `/api/runs?playbook=${KEY}&node=wait&limit=100`);
        return waiting.body.items?.length === RUNS ? true : undefined;
      },
      120_000,
    );

    // Version 2 renames the follow-up step: it cannot map by itself.
    const v2 = version({ id: 'followUpV2', template: 'migration-it-v2' });
    expect((await api('PUT', `/api/playbooks/${KEY}`, { definition: v2 })).status).toBe(200);
    expect((await api('POST', `/api/playbooks/${KEY}/publish`)).status).toBe(201);

    const unmapped = await api('POST', `/api/playbooks/${KEY}/migrations/dry-run`, { from: 1 });
    expect(unmapped.status).toBe(200);
    expect(unmapped.body.problems).toEqual([
      { nodeId: 'followUp', message: expect.stringContaining('version 2 has no step followUp') },
    ]);
    expect(unmapped.body.movable).toBe(0);
    const refusedMove = await api('POST', `/api/playbooks/${KEY}/migrations`, { from: 1 });
    expect(refusedMove.status).toBe(422);
    expect(refusedMove.body.error.message).toMatch(/map .* and try again/);
    // A version number past what the store holds is the caller's mistake, not the server's.
    const huge = await api('POST', `/api/playbooks/${KEY}/migrations`, { from: 1, to: 16962279093024 });
    expect(huge.status).toBe(400);
    expect(huge.body.detail).toMatch(/to/);

    const nodeMap = { followUp: 'followUpV2' };
    const plan = await api('POST', `/api/playbooks/${KEY}/migrations/dry-run`, { from: 1, nodeMap });
    expect(plan.body).toMatchObject({ from: 1, to: 2, problems: [], movable: RUNS, refused: 0 });
    expect(plan.body.how).toMatchObject({ hello: 'same id', wait: 'same id', followUp: 'by hand' });
    for (const run of plan.body.runs) {
      expect(run).toMatchObject({ before: { nodeId: 'wait' }, after: { nodeId: 'wait' }, refused: null });
    }

    const started = await api('POST', `/api/playbooks/${KEY}/migrations`, { from: 1, nodeMap });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ from: 1, to: 2, runs: RUNS, refused: 0 });
    const progress = await until(
      'the migration to ask every run',
      async () => {
        const res = await api('GET', `/api/playbooks/${KEY}/migrations/${started.body.migrationId}`);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      120_000,
    );
    expect(progress.results.filter((r: { outcome: string }) => r.outcome === 'moving')).toHaveLength(RUNS);
    const audit = await api('GET', '/api/audit?action=playbook.migration_started');
    expect(
      audit.body.items.some(
        (e: { detail: { migrationId: string } }) => e.detail.migrationId === started.body.migrationId,
      ),
    ).toBe(true);

    // The wait ends (skipped here, as an operator would): each run continues in version 2 at the mapped step.
    for (let i = 0; i < workflowIds.length; i += 25) {
      const skipped = await api('POST', '/api/runs/bulk', {
        action: 'skipWait',
        workflowIds: workflowIds.slice(i, i + 25),
      });
      expect(skipped.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    }
    const followUps = async () => {
      const mail = await api('GET', '/api/outbox?limit=500');
      return (mail.body.items as { to: string[]; subject: string }[]).filter((m) =>
        m.subject.startsWith('Follow-up of version'),
      );
    };
    await until('every follow-up email', async () => ((await followUps()).length >= RUNS ? true : undefined), 120_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sent = await followUps();
    for (const to of recipients) {
      expect(
        sent.filter((m) => m.to.includes(to)).map((m) => m.subject),
        to,
      ).toEqual(['Follow-up of version 2']);
    }
    const moved = await api('GET', `/api/runs?playbook=${KEY}&version=2&limit=100`);
    expect(moved.body.items).toHaveLength(RUNS);
    const detail = await api('GET', `/api/runs/${encodeURIComponent(workflowIds[0]!)}`);
    expect(
      detail.body.timeline.map((e: { kind: string; summary: string }) => e.kind === 'migrated' && e.summary),
    ).toContain('Moved to version 2');
  }, 400_000);
});
