import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/api.js';
import { discountOffer, discountOfferTemplate } from '../support/approval-playbooks.js';
import { until } from '../support/until.js';
import '../support/provided.js';

// Approvals on the real dev server: people signed in with a session cookie decide them, exactly one decision wins
// however many arrive at once, and what they decide reaches the email the SMTP server receives and the audit log.

const PASSWORD = 'correct horse battery staple';
const unique = () => randomUUID().slice(0, 8);

interface Session {
  email: string;
  cookie: string;
  csrf: string;
}

/** A person and their session: created by the admin, signed in through POST /api/session as a browser would. */
async function signedIn(role: 'csm' | 'manager', managerId?: string): Promise<Session & { id: string }> {
  const email = `${role}-${unique()}@acme.example`;
  const created = await api('POST', '/api/users', {
    email,
    name: `${role} ${email}`,
    role,
    password: PASSWORD,
    ...(managerId && { managerId }),
  });
  expect(created.status).toBe(201);
  const res = await fetch(`${inject('apiUrl')}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { id: created.body.id as string, email, cookie, csrf: csrfToken };
}

/** A call with a person's session cookie (and, for changes, their CSRF token), no bearer token. */
async function as(who: Session, method: string, path: string, body?: unknown) {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: {
      cookie: who.cookie,
      ...(method !== 'GET' && { 'x-csrf-token': who.csrf }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function accountFor(csm: string, manager: string) {
  const name = `Norte Logística ${unique()}`;
  const account = await api('POST', '/api/accounts', {
    externalId: `approvals-${unique()}`,
    name,
    segment: 'high-touch',
    locale: 'en',
    timeZone: 'Europe/Madrid',
    ownerCsmName: 'Marta Ruiz',
    ownerCsmEmail: csm,
    csmManagerEmail: manager,
  });
  expect(account.status).toBe(201);
  const contact = `ana-${unique()}@norte.example`;
  expect(
    (await api('POST', `/api/accounts/${account.body.id}/contacts`, { name: 'Ana Pérez', email: contact })).status,
  ).toBe(201);
  return { id: account.body.id as string, name, contact };
}

/** The approval a run asked for, once it is in the inbox. */
const approvalOf = (workflowId: string) =>
  until(
    `the approval of ${workflowId}`,
    async () => (await api('GET', `/api/approvals?view=open&run=${encodeURIComponent(workflowId)}`)).body.items?.[0],
    30_000,
  );

interface RunDetail {
  status: string;
  node: string | null;
  position: { waiting?: { kind: string; until: string } } | null;
  timeline: { nodeId: string; summary: string }[];
}
const runOf = (workflowId: string) =>
  api('GET', `/api/runs/${encodeURIComponent(workflowId)}`).then((r) => r.body as RunDetail);

/** Skips the timer waits (send windows, the 48 hours) a run stands on until `done` says it is where it should be. */
async function skipWaitsUntil(workflowId: string, what: string, done: (run: RunDetail) => boolean) {
  for (let move = 0; move < 20; move++) {
    const run = await until(`the run to stand still (${what})`, async () => {
      const detail = await runOf(workflowId);
      return detail.status !== 'running' || detail.position?.waiting ? detail : undefined;
    });
    if (done(run)) return run;
    const waiting = run.position?.waiting;
    if (waiting?.kind !== 'timer') throw new Error(`the run stopped at ${run.node} before ${what}`);
    const skipped = await api('POST', '/api/runs/bulk', { action: 'skipWait', workflowIds: [workflowId] });
    expect(skipped.body.results[0]).toMatchObject({ ok: true });
    await until('the run to move on', async () =>
      (await runOf(workflowId)).position?.waiting?.until !== waiting.until ? true : undefined,
    );
  }
  throw new Error(`the run never reached ${what}`);
}

let manager: Awaited<ReturnType<typeof signedIn>>;
let csm: Awaited<ReturnType<typeof signedIn>>;
let offerKey: string;
beforeAll(async () => {
  manager = await signedIn('manager');
  csm = await signedIn('csm', manager.id);
  expect((await api('PUT', '/api/templates/discount-offer', discountOfferTemplate)).status).toBe(200);
  offerKey = `discount-offer-${unique()}`;
  expect((await api('POST', '/api/playbooks', { definition: discountOffer(offerKey) })).status).toBe(201);
  const published = await api('POST', `/api/playbooks/${offerKey}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}, 60_000);

describe('a rescue’s discount approval, decided by the CSM signed in with a session cookie', () => {
  it('edited to 15 % and approved: the email the SMTP server receives says 15 %, the audit log has the decision and the edit; the manager’s 25 % is refused with the bound', async () => {
    const account = await accountFor(csm.email, manager.email);
    const enrolled = await api('POST', '/api/playbooks/rescue-high/enrollments', { accountId: account.id });
    expect(enrolled.status).toBe(201);
    const workflowId = enrolled.body.workflowId as string;
    await skipWaitsUntil(workflowId, 'the discount approval', (run) => run.position?.waiting?.kind === 'approval');

    const mine = await as(csm, 'GET', '/api/approvals?view=mine');
    expect(mine.status).toBe(200);
    const approval = mine.body.items.find((a: { run: { workflowId: string } }) => a.run.workflowId === workflowId);
    expect(approval).toMatchObject({
      status: 'pending',
      kind: 'discount',
      assignee: { role: 'ownerCsm', email: csm.email },
      parameters: [{ name: 'discount', type: 'percent', default: 10, min: 0, max: 20 }],
      values: { discount: 10 },
      proposal: { to: account.contact, template: 'rescue-high-offer' },
      context: { account: { name: account.name, ownerCsmEmail: csm.email } },
    });
    expect(approval.proposal.text).toContain('10 % discount on your next renewal');
    expect((await as(csm, 'GET', '/api/approvals/counts')).body.mine).toBeGreaterThanOrEqual(1);
    // The CSM was told: one email about this approval.
    const notified = await until('the CSM’s notification', async () => {
      const mail = (await api('GET', `/api/outbox?to=${encodeURIComponent(csm.email)}`)).body.items;
      return mail.find((m: { subject: string }) => m.subject.includes('Approval needed')) ? mail : undefined;
    });
    expect(notified.filter((m: { subject: string }) => m.subject.includes('Approval needed'))).toHaveLength(1);

    const tooMuch = await as(manager, 'POST', `/api/approvals/${approval.id}/decision`, {
      decision: 'approved',
      values: { discount: 25 },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.message).toBe('Discount must be at most 20 % (got 25 %)');
    expect(tooMuch.body.error.issues).toEqual([
      { path: 'values.discount', code: 'above_maximum', message: 'Discount must be at most 20 % (got 25 %)' },
    ]);

    const decided = await as(csm, 'POST', `/api/approvals/${approval.id}/decision`, {
      decision: 'approved',
      values: { discount: 15 },
      reason: 'They are worth keeping',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'approved',
      values: { discount: 15 },
      edits: { discount: { from: 10, to: 15 } },
      decision: { by: csm.email, reason: 'They are worth keeping' },
    });

    await skipWaitsUntil(workflowId, 'the end of the rescue', (run) => run.status === 'completed');
    const offer = await until('the offer at the SMTP server', async () => {
      const mail = (await api('GET', `/api/outbox?to=${encodeURIComponent(account.contact)}`)).body.items;
      return mail.find((m: { subject: string }) => m.subject.startsWith('An offer for')) as { id: string } | undefined;
    });
    const received = (await api('GET', `/api/outbox/${offer.id}`)).body;
    expect(received.text).toContain('15 % discount on your next renewal');

    const audit = await api('GET', `/api/audit?targetId=${approval.id}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'approval.decided',
        actor: expect.objectContaining({ kind: 'user', name: csm.email }),
        target: { kind: 'approval', id: approval.id },
        detail: expect.objectContaining({
          decision: 'approved',
          values: { discount: 15 },
          edits: { discount: { from: 10, to: 15 } },
          reason: 'They are worth keeping',
        }),
      }),
    ]);
  }, 120_000);
});

describe('deciding an approval', () => {
  async function waitingApproval() {
    const account = await accountFor(csm.email, manager.email);
    const enrolled = await api('POST', `/api/playbooks/${offerKey}/enrollments`, { accountId: account.id });
    expect(enrolled.status).toBe(201);
    return {
      approval: await approvalOf(enrolled.body.workflowId),
      workflowId: enrolled.body.workflowId as string,
      account,
    };
  }

  it('sixteen at once: exactly one 200, the run follows it, the other fifteen 409 naming who decided and when', async () => {
    const { approval, workflowId } = await waitingApproval();
    const decisions = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 'approved' : 'rejected'));
    const answers = await Promise.all(
      decisions.map((decision, i) =>
        api('POST', `/api/approvals/${approval.id}/decision`, { decision, values: { discount: i } }),
      ),
    );
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    const lost = answers.filter((a) => a.status === 409);
    expect(lost).toHaveLength(15);
    const winner = won[0]!.body;
    for (const answer of lost) {
      expect(answer.body.error.code).toBe('already_decided');
      expect(answer.body.error.message).toMatch(/already decided by token '.+' at \S+ \((approved|rejected)\)/);
      expect(answer.body.error.message).toContain(`(${winner.status})`);
    }
    const run = await until('the run to finish', async () => {
      const detail = await runOf(workflowId);
      return detail.status === 'completed' ? detail : undefined;
    });
    const decidedLine = run.timeline.find((e) => /^Approval (approved|rejected)/.test(e.summary));
    expect(decidedLine?.summary.startsWith(`Approval ${winner.status}`)).toBe(true);
    expect(run.timeline.at(-1)?.nodeId).toBe('done');
    expect((await api('GET', `/api/approvals/${approval.id}`)).body).toMatchObject({
      status: winner.status,
      values: winner.values,
    });
    if (winner.status === 'approved') {
      const sent = await until('the offer', async () => {
        const items = (await api('GET', `/api/outbox/deliveries?workflowId=${encodeURIComponent(workflowId)}`)).body
          .items;
        return items?.length ? items : undefined;
      });
      expect(sent).toHaveLength(1);
    }
  }, 60_000);

  it('on a finished run is 409, not 404; unknown keys are 400; out of bounds 422 naming the bound', async () => {
    const { approval, workflowId } = await waitingApproval();
    const unknownKey = await api('POST', `/api/approvals/${approval.id}/decision`, {
      decision: 'approved',
      discount: 15,
    });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.message).toContain('discount');
    const below = await api('POST', `/api/approvals/${approval.id}/decision`, {
      decision: 'approved',
      values: { discount: -5 },
    });
    expect(below.status).toBe(422);
    expect(below.body.error.message).toBe('Discount must be at least 0 % (got -5 %)');
    const notAParameter = await api('POST', `/api/approvals/${approval.id}/decision`, {
      decision: 'approved',
      values: { price: 3 },
    });
    expect(notAParameter.status).toBe(422);
    expect((await api('GET', `/api/approvals/${approval.id}`)).body.status).toBe('pending');

    expect((await api('POST', `/api/runs/${encodeURIComponent(workflowId)}/cancel`)).status).toBe(202);
    await until('the run to be cancelled', async () =>
      (await runOf(workflowId)).status === 'cancelled' ? true : undefined,
    );
    const late = await api('POST', `/api/approvals/${approval.id}/decision`, { decision: 'approved' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/withdrawn|has ended/);
    const withdrawn = (await api('GET', `/api/approvals/${approval.id}`)).body;
    expect(withdrawn).toMatchObject({ status: 'withdrawn' });
    expect(await api('POST', `/api/approvals/${randomUUID()}/decision`, { decision: 'approved' })).toMatchObject({
      status: 404,
    });
  }, 60_000);

  it('belongs to whoever holds it: another CSM is refused, the account’s manager may decide', async () => {
    const { approval } = await waitingApproval();
    const other = await signedIn('csm');
    const refused = await as(other, 'POST', `/api/approvals/${approval.id}/decision`, { decision: 'approved' });
    expect(refused.status).toBe(403);
    expect(
      (await as(other, 'GET', '/api/approvals?view=open')).body.items.map((a: { id: string }) => a.id),
    ).not.toContain(approval.id);
    const byManager = await as(manager, 'POST', `/api/approvals/${approval.id}/decision`, { decision: 'rejected' });
    expect(byManager.status).toBe(200);
    expect(byManager.body).toMatchObject({ status: 'rejected', decision: { by: manager.email } });
    const decided = await as(csm, 'GET', '/api/approvals?view=decided&limit=1');
    expect(decided.body.items).toHaveLength(1);
    expect(decided.body.nextCursor).not.toBeNull();
  }, 60_000);

  it('moves with the account: a new owner CSM takes the open approval', async () => {
    const { approval, account } = await waitingApproval();
    const successor = await signedIn('csm', manager.id);
    expect((await api('PATCH', `/api/accounts/${account.id}`, { ownerCsmEmail: successor.email })).status).toBe(200);
    expect(
      (await as(successor, 'GET', '/api/approvals?view=mine')).body.items.map((a: { id: string }) => a.id),
    ).toContain(approval.id);
    expect(
      (await as(csm, 'GET', '/api/approvals?view=mine')).body.items.map((a: { id: string }) => a.id),
    ).not.toContain(approval.id);
    expect(
      (await as(successor, 'POST', `/api/approvals/${approval.id}/decision`, { decision: 'approved' })).status,
    ).toBe(200);
  }, 60_000);
});
