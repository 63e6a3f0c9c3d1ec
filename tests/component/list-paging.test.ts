import { pino } from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccess } from '../../server/auth/bootstrap.js';
import { startAccessApp, type AccessApp } from '../support/access-app.js';

// Every list the API serves pages with `?cursor=` and `?limit=` and answers `nextCursor` (null on the last page).
// Rows made by one statement share their timestamp to the microsecond, so each list here is paged across ties:
// the keyset's id (or seq) must break them, or a row is listed twice or never.

const TOKEN = 'sf_paging-tests-0123456789-abcdefghijklmnopqrstuvwxyz';
let app: AccessApp;
let accountId: string;

const get = async (path: string) => {
  const answer = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};

/** Every page of a list, `limit` at a time, following nextCursor; each page's ids in order. */
async function allPages(path: string, limit: number, idOf: (item: Record<string, unknown>) => string) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body } = await get(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(status, JSON.stringify(body)).toBe(200);
    pages.push((body.items as Record<string, unknown>[]).map(idOf));
    cursor = body.nextCursor as string | null;
    expect(pages.length).toBeLessThan(100);
  } while (cursor);
  return pages;
}

const ROWS = 23;

beforeAll(async () => {
  app = await startAccessApp();
  await bootstrapAccess(app.db, { STAYFLOW_BOOTSTRAP_TOKEN: TOKEN }, pino({ level: 'silent' }));
  const created = await fetch(`${app.url}/api/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ externalId: 'paging-1', name: 'Paging Co' }),
  });
  expect(created.status).toBe(201);
  accountId = ((await created.json()) as { id: string }).id;
  const db = app.db;
  const n = [...Array(ROWS).keys()];
  // One statement each: created_at / received_at default to the same now() for every row.
  await db
    .insertInto('email_outbox')
    .values(
      n.map((i) => ({
        workflow_id: `playbook:paging:account:${accountId}`,
        run_id: 'run-1',
        step_key: `email-${i}`,
        recipient: `c${i}@example.com`,
        recipient_name: null,
        node_id: 'email',
        account_id: accountId,
        contact_id: null,
        template_key: 'welcome',
        locale: null,
        subject: `Hello ${i}`,
        html: null,
        text: null,
        message_id: `<m${i}@stayflow.test>`,
        smtp_response: null,
        last_error: null,
        sent_at: null,
      })),
    )
    .execute();
  await db
    .insertInto('caught_mail')
    .values(
      n.map((i) => ({
        message_id: `<c${i}@stayflow.test>`,
        envelope_from: 'cs@stayflow.test',
        envelope_to: [`c${i}@example.com`],
        subject: `Caught ${i}`,
        text: 'hi',
        html: null,
        headers: '{}',
        raw: 'Subject: hi\r\n\r\nhi',
      })),
    )
    .execute();
  // Tasks: open and done, with due times that tie in threes.
  await db
    .insertInto('csm_tasks')
    .values(
      n.map((i) => ({
        workflow_id: `playbook:paging:account:${accountId}`,
        run_id: 'run-1',
        step_key: `task-${i}`,
        node_id: 'task',
        account_id: accountId,
        account_name: 'Paging Co',
        playbook_key: 'paging',
        playbook_name: 'Paging',
        playbook_version: 1,
        assignee_role: 'owner',
        assignee_email: 'ana@csm.example',
        assignment_note: null,
        kind: 'call',
        title: `Call ${i}`,
        due_at: sql<Date>`now() + ${`${Math.floor(i / 3)} hours`}::interval`,
        status: i % 4 === 0 ? 'done' : 'open',
        completed_at: null,
        note: null,
      })),
    )
    .execute();
  const events = await fetch(`${app.url}/api/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      events: n.map((i) => ({
        accountId,
        name: 'product.login',
        occurredAt: `2026-03-0${1 + (i % 2)}T08:00:00.000Z`,
        idempotencyKey: `login-${i}`,
      })),
    }),
  });
  expect(events.status).toBe(202);
}, 60_000);
afterAll(() => app.close());

describe('cursor paging', () => {
  it.each([
    ['playbook emails', `/api/outbox/deliveries?accountId=ACCOUNT`, (i: Record<string, unknown>) => String(i.id)],
    ['caught mail', '/api/outbox', (i: Record<string, unknown>) => String(i.id)],
    ['tasks', '/api/tasks', (i: Record<string, unknown>) => String(i.id)],
    ['account events', '/api/accounts/ACCOUNT/events', (i: Record<string, unknown>) => String(i.seq)],
  ])('lists every one of %s exactly once, in the order of one long page', async (_what, template, idOf) => {
    const path = template.replace('ACCOUNT', accountId);
    const pages = await allPages(path, 5, idOf);
    expect(pages.length).toBe(Math.ceil(ROWS / 5));
    expect(pages.slice(0, -1).every((page) => page.length === 5)).toBe(true);
    const paged = pages.flat();
    expect(new Set(paged).size).toBe(ROWS);
    const { body } = await get(`${path}${path.includes('?') ? '&' : '?'}limit=500`);
    expect(paged).toEqual((body.items as Record<string, unknown>[]).map(idOf));
    expect(body.nextCursor).toBeNull();
  });

  it('keeps the task inbox order across pages: open tasks first, by due time', async () => {
    const { body } = await get('/api/tasks?limit=500');
    const statuses = (body.items as { status: string }[]).map((t) => t.status);
    expect(statuses.indexOf('done')).toBe(statuses.filter((s) => s === 'open').length);
  });

  it('refuses a cursor it did not give out with a 400 that says so, on every list', async () => {
    const forged = Buffer.from(JSON.stringify(['x', 1])).toString('base64url');
    for (const path of [
      `/api/outbox/deliveries?accountId=${accountId}&cursor=nonsense`,
      `/api/outbox?cursor=${forged}`,
      `/api/tasks?cursor=${Buffer.from(JSON.stringify([0, "2026-01-01'; drop", accountId])).toString('base64url')}`,
      `/api/accounts/${accountId}/events?cursor=${forged}`,
      `/api/audit?cursor=${forged}`,
      `/api/accounts?cursor=${forged}`,
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(JSON.stringify(body), path).toMatch(/cursor is not one this API gave out/);
    }
  });
});
