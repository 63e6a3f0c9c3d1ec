import { describe, expect, it } from 'vitest';
import '../support/provided.js';
import { miniOnboarding } from '../support/sample-playbooks.js';
import { until } from '../support/until.js';
import { api } from '../support/api.js';

const definition = (key: string, overrides: Record<string, unknown> = {}) => ({
  ...structuredClone(miniOnboarding),
  key,
  ...overrides,
});
const account = (id: string) => ({ id, timeZone: 'Europe/Madrid', fields: { segment: 'high-touch' } });

async function publishNew(key: string, overrides: Record<string, unknown> = {}) {
  expect((await api('POST', '/api/playbooks', { definition: definition(key, overrides) })).status).toBe(201);
  const published = await api('POST', `/api/playbooks/${key}/publish`);
  expect(published.status).toBe(201);
  return published.body as { version: number };
}

async function runsWhere(query: string, count: number) {
  return until(`${count} run(s) listed for ${query}`, async () => {
    const { body } = await api('GET', `/api/runs?${query}`);
    return body.items.length === count ? body.items : undefined;
  });
}

describe('playbook definitions', () => {
  it('rejects an invalid definition with every issue and its step', async () => {
    const broken = definition('broken-one');
    broken.edges = broken.edges.filter((e) => e.id !== 'e13'); // the approval's timeout outcome leads nowhere
    broken.nodes.push({ id: 'orphan', type: 'end', label: 'Orphan', config: {} });
    const { status, body } = await api('POST', '/api/playbooks/validate', { definition: broken });
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_playbook');
    const byNode = body.error.issues
      .map((i: { nodeId?: string; message: string }) => `${i.nodeId}: ${i.message}`)
      .join('\n');
    expect(byNode).toMatch(/^offer: .*timeout/m);
    expect(byNode).toMatch(/^orphan: .*reached/m);
  });

  it('saves drafts, refuses a duplicate key and a draft without a key, and publishes numbered versions', async () => {
    expect((await api('POST', '/api/playbooks', { definition: { name: 'No key' } })).status).toBe(400);
    await publishNew('versions-demo');
    expect((await api('POST', '/api/playbooks', { definition: definition('versions-demo') })).status).toBe(409);
    const invalidDraft = definition('versions-demo');
    invalidDraft.nodes = invalidDraft.nodes.filter((n) => n.id !== 'done');
    const saved = await api('PUT', '/api/playbooks/versions-demo', { definition: invalidDraft });
    expect(saved.status).toBe(200);
    expect(saved.body.issues.length).toBeGreaterThan(0);
    expect((await api('POST', '/api/playbooks/versions-demo/publish')).status).toBe(422);
    await api('PUT', '/api/playbooks/versions-demo', {
      definition: definition('versions-demo', { name: 'Versions demo v2' }),
    });
    expect((await api('POST', '/api/playbooks/versions-demo/publish')).body.version).toBe(2);
    const versions = await api('GET', '/api/playbooks/versions-demo/versions');
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('previews the draft on a virtual clock', async () => {
    await api('POST', '/api/playbooks', { definition: definition('preview-demo') });
    const { status, body } = await api('POST', '/api/playbooks/preview-demo/simulate', {
      account: { id: 'a', timeZone: 'Europe/Madrid', fields: { segment: 'tech-touch' } },
      startAt: '2026-11-26T18:00:00Z',
    });
    expect(status).toBe(200);
    expect(body.timeline.find((e: { nodeId: string }) => e.nodeId === 'day4')).toMatchObject({
      day: 4,
      at: '2026-12-01T08:00:00Z',
    });
  });
});

describe('enrollments and runs on the Temporal dev server', () => {
  it('keeps a waiting run on the version it started with when a new version is published', async () => {
    await publishNew('pinning-demo');
    const first = await api('POST', '/api/playbooks/pinning-demo/enrollments', { account: account('acme') });
    expect(first.status).toBe(201);
    expect(first.body.version).toBe(1);
    const [waiting] = await runsWhere('playbook=pinning-demo&node=wait4&status=waiting-timer', 1);
    expect(waiting).toMatchObject({
      account: 'acme',
      version: 1,
      playbookName: 'Mini onboarding',
      nodeLabel: 'Wait 4 days',
    });

    const impact = await api('GET', '/api/playbooks/pinning-demo/impact');
    expect(impact.body).toMatchObject({ version: 1, inFlight: 1, byNode: { wait4: 1 } });

    await api('PUT', '/api/playbooks/pinning-demo', {
      definition: definition('pinning-demo', { name: 'Pinning demo v2' }),
    });
    expect((await api('POST', '/api/playbooks/pinning-demo/publish')).body.version).toBe(2);
    const second = await api('POST', '/api/playbooks/pinning-demo/enrollments', { account: account('globex') });
    expect(second.body.version).toBe(2);

    const detail = await api('GET', `/api/runs/${encodeURIComponent(first.body.workflowId)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.version).toBe(1);
    expect(detail.body.position).toMatchObject({ nodeId: 'wait4', waiting: { kind: 'timer' } });
    // Named by the version it follows: version 2 renamed the playbook, this run still reads version 1's words.
    expect(detail.body).toMatchObject({ playbookName: 'Mini onboarding', nodeLabel: 'Wait 4 days' });
    const newer = await api('GET', `/api/runs/${encodeURIComponent(second.body.workflowId)}`);
    expect(newer.body.playbookName).toBe('Pinning demo v2');
    expect(detail.body.timeline.map((e: { nodeId: string }) => e.nodeId)).toEqual(['start', 'welcome', 'wait4']);
    expect(detail.body.timeline[0].why).toBe('version 1');
  });

  it('enrolls an account once at a time under "one at a time", and every time under "every time"', async () => {
    await publishNew('one-at-a-time-demo');
    expect(
      (await api('POST', '/api/playbooks/one-at-a-time-demo/enrollments', { account: account('initech') })).status,
    ).toBe(201);
    const again = await api('POST', '/api/playbooks/one-at-a-time-demo/enrollments', { account: account('initech') });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already enrolled');
    await runsWhere('playbook=one-at-a-time-demo&account=initech', 1);

    await publishNew('every-time-demo', { enrollment: { mode: 'everyTime' } });
    for (let i = 0; i < 2; i++)
      expect(
        (await api('POST', '/api/playbooks/every-time-demo/enrollments', { account: account('initech') })).status,
      ).toBe(201);
    await runsWhere('playbook=every-time-demo&account=initech', 2);
  });

  it('refuses a new enrollment during the cooldown of an "every time" playbook, saying until when', async () => {
    await publishNew('cooldown-demo', { enrollment: { mode: 'everyTime', cooldown: { amount: 30, unit: 'days' } } });
    expect((await api('POST', '/api/playbooks/cooldown-demo/enrollments', { account: account('wayne') })).status).toBe(
      201,
    );
    await runsWhere('playbook=cooldown-demo&account=wayne', 1);
    const again = await api('POST', '/api/playbooks/cooldown-demo/enrollments', { account: account('wayne') });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('cooling_down');
    expect(again.body.error.message).toContain('cooldown 30 days');
    expect((await api('POST', '/api/playbooks/cooldown-demo/enrollments', { account: account('stark') })).status).toBe(
      201,
    );
  });

  it('cancels a run, and says so when it is no longer running', async () => {
    await publishNew('cancel-demo');
    const { body } = await api('POST', '/api/playbooks/cancel-demo/enrollments', { account: account('umbrella') });
    const id = encodeURIComponent(body.workflowId);
    expect((await api('POST', `/api/runs/${id}/cancel`)).status).toBe(202);
    await until('the run to be cancelled', async () =>
      (await api('GET', `/api/runs/${id}`)).body.status === 'cancelled' ? true : undefined,
    );
    expect((await api('POST', `/api/runs/${id}/cancel`)).status).toBe(409);
  });

  it('skips the wait of a selection of runs, and reports per run what could not be done', async () => {
    await publishNew('bulk-demo');
    const { body } = await api('POST', '/api/playbooks/bulk-demo/enrollments', { account: account('hooli') });
    await runsWhere('playbook=bulk-demo&node=wait4&status=waiting-timer', 1);
    const bulk = await api('POST', '/api/runs/bulk', {
      action: 'skipWait',
      workflowIds: [body.workflowId, 'no-such-run'],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results[0]).toEqual({ workflowId: body.workflowId, ok: true, error: null });
    expect(bulk.body.results[1]).toMatchObject({
      workflowId: 'no-such-run',
      ok: false,
      error: 'Run no-such-run was not found',
    });
    const detail = await until('the run to move past the skipped wait', async () => {
      const { body: run } = await api('GET', `/api/runs/${encodeURIComponent(body.workflowId)}`);
      return run.position?.nodeId !== 'wait4' ? run : undefined;
    });
    expect(detail.timeline.find((e: { summary: string }) => e.summary === 'Wait 4 days: skipped')?.why).toBe(
      'an operator skipped the wait',
    );

    const cancel = await api('POST', '/api/runs/bulk', { action: 'cancel', workflowIds: [body.workflowId] });
    expect(cancel.body.results[0].ok).toBe(true);
    expect((await api('POST', '/api/runs/bulk', { action: 'explode', workflowIds: [] })).status).toBe(400);
  });

  it('walks a run to its end on the dev server: skipped waits, a skipped event wait and a CSM approval', async () => {
    await publishNew('walkthrough-demo');
    // A stored account with a contact: the run's emails really go out, to that contact.
    const stored = await api('POST', '/api/accounts', {
      externalId: 'walkthrough-cyberdyne',
      name: 'Cyberdyne',
      segment: 'mid-touch',
      timeZone: 'America/Mexico_City',
      locale: 'en',
    });
    expect(stored.status).toBe(201);
    const accountId = stored.body.id as string;
    expect(
      (
        await api('POST', `/api/accounts/${accountId}/contacts`, {
          name: 'Miles Dyson',
          email: 'miles@cyberdyne.example',
        })
      ).status,
    ).toBe(201);
    const { body } = await api('POST', '/api/playbooks/walkthrough-demo/enrollments', { accountId });
    const id = encodeURIComponent(body.workflowId);

    // Bounded: the mini onboarding has at most six waits (two of them send windows) before it ends.
    let run: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let move = 0; move < 12; move++) {
      run = await until('the run to stand still or finish', async () => {
        const { body: detail } = await api('GET', `/api/runs/${id}`);
        return detail.status === 'completed' || detail.position?.waiting ? detail : undefined;
      });
      if (run.status === 'completed') break;
      if (run.position.waiting.kind === 'approval') {
        const [approval] = await until('the approval in the inbox', async () => {
          const { body: inbox } = await api('GET', `/api/approvals?view=open&run=${id}`);
          return inbox.items.length ? inbox.items : undefined;
        });
        const decided = await api('POST', `/api/approvals/${approval.id}/decision`, { decision: 'approved' });
        expect(decided.status).toBe(200);
      } else {
        expect(
          (await api('POST', '/api/runs/bulk', { action: 'skipWait', workflowIds: [body.workflowId] })).body.results[0]
            .ok,
        ).toBe(true);
      }
      await until('the run to move on', async () => {
        const { body: detail } = await api('GET', `/api/runs/${id}`);
        return detail.status === 'completed' || detail.timeline.length > run.timeline.length ? true : undefined;
      });
    }
    expect(run.status).toBe('completed');
    const steps = run.timeline.map((e: { nodeId: string; summary: string }) => `${e.nodeId}: ${e.summary}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'value: Stopped waiting for first_value',
        'offer: Approval approved: Free training session',
        'offerMail: Email "Training offer" (offer) to primaryContact',
        'done: Done',
      ]),
    );
    const mail = await api('GET', '/api/outbox?to=miles@cyberdyne.example');
    expect(mail.body.items.map((m: { subject: string }) => m.subject)).toContain(
      'A free training session for Cyberdyne',
    );
  });

  it('answers clear errors for unknown playbooks, runs, unpublished playbooks and bad accounts', async () => {
    expect((await api('POST', '/api/playbooks/nope/enrollments', { account: account('x') })).status).toBe(404);
    expect((await api('GET', '/api/runs/no-such-run')).status).toBe(404);
    await api('POST', '/api/playbooks', { definition: definition('draft-only') });
    const unpublished = await api('POST', '/api/playbooks/draft-only/enrollments', { account: account('x') });
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error.message).toContain('publish it first');
    const badZone = await api('POST', '/api/playbooks/draft-only/enrollments', {
      account: { id: 'x', timeZone: 'Mars/Olympus' },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.message).toContain('account.timeZone');
    expect((await api('GET', "/api/runs?account=x'or'1")).status).toBe(400);
  });
});
