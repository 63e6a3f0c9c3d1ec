import { randomUUID } from 'node:crypto';
import { expect, inject, it } from 'vitest';
import { asAdmin } from '../support/api.js';
import { api, publish, runOf, runsOf, runUntil } from '../support/rescue-playbooks.js';

// A CSV import tells the accounts it changed, as PATCH does: their workflows get fieldsChanged, so "field changed"
// triggers fire; new and unchanged rows tell nobody.

async function importCsv(text: string) {
  const res = await fetch(`${inject('apiUrl')}/api/accounts/import?kind=accounts`, {
    method: 'POST',
    headers: asAdmin({ 'content-type': 'text/csv' }),
    body: text,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('starts "field changed" enrollments for the accounts an import changed, and only for those', async () => {
  const key = `import-plan-${Date.now()}`;
  await publish({
    schemaVersion: 1,
    key,
    name: 'Plan changed',
    triggers: [{ type: 'fieldChanged', field: 'plan' }],
    enrollment: { mode: 'oneAtATime' },
    exit: [],
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'hold', type: 'wait', label: 'Follow up', config: { kind: 'duration', amount: 30, unit: 'days' } },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'hold' },
      { id: 'e2', source: 'hold', target: 'done' },
    ],
  });
  try {
    const tag = randomUUID().slice(0, 8);
    const ext = (n: string) => `${tag}-${n}`;
    const first = await importCsv(
      [
        'external_id,name,plan',
        `${ext('a')},Alpha,starter`,
        `${ext('b')},Beta,starter`,
        `${ext('c')},Gamma,starter`,
      ].join('\n'),
    );
    expect(first.body).toMatchObject({ created: 3, updated: 0 });
    const ids = await Promise.all(
      ['a', 'b', 'c'].map(async (n) => (await api('GET', `/api/accounts/by-external-id/${ext(n)}`)).body.id as string),
    );

    const second = await importCsv(
      [
        'external_id,name,plan',
        `${ext('a')},Alpha,pro`,
        `${ext('b')},Beta,starter`,
        `${ext('c')},Gamma Inc,enterprise`,
      ].join('\n'),
    );
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: 0, updated: 2, unchanged: 1 });

    const [a, , c] = ids as [string, string, string];
    const runA = await runOf(a, key);
    const detailA = await runUntil(runA.workflowId, 'the run to start', (d) => d.timeline.length > 0);
    expect(detailA.timeline[0]!.why).toContain('plan changed from "starter" to "pro"');
    const runC = await runOf(c, key);
    const detailC = await runUntil(runC.workflowId, 'the run to start', (d) => d.timeline.length > 0);
    expect(detailC.timeline[0]!.why).toContain('plan changed from "starter" to "enterprise"');
    // b's row changed nothing: no message, no run (a and c, told in the same batch, already started theirs).
    expect(await runsOf(ids[1]!, key)).toEqual([]);
  } finally {
    await api('POST', `/api/playbooks/${key}/archive`);
  }
});
