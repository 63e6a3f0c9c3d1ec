import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccess } from '../../server/auth/bootstrap.js';
import { createUser } from '../../server/auth/users.js';
import { recordEvents } from '../../server/events/store.js';
import { currentScorecard, installDefaultScorecard, saveScorecard } from '../../server/health/service.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// The lists that used to answer everything at once — playbooks and their versions, users, CSM profiles, templates,
// tokens, an account's contacts and referral ledger, the caller's team, custom account fields, scorecard versions —
// page with `?cursor=` and `?limit=` like every other list and answer `nextCursor` (null on the last page). Paged
// 3 at a time, each lists every row exactly once, in the order of one long page; rows made by one statement tie on
// their timestamp (and playbooks on their name), so the keyset must break ties or a row is listed twice or never.

const TOKEN = 'sf_whole-list-paging-0123456789-abcdefghijklmnopqrstuvwxyz';
const PASSWORD = 'correct horse battery staple';
const N = 8;
const LIMIT = 3;
let app: AccessApp;
let accountId: string;
let playbookId: string;
let manager: BrowserSession;

type Item = Record<string, unknown>;
type Body = Record<string, unknown>;

const get = async (path: string, session?: BrowserSession) => {
  if (session) return (await session.request('GET', path)) as { status: number; body: Body };
  const answer = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: answer.status, body: (await answer.json()) as Body };
};

/** Every page, `limit` at a time, following nextCursor: each page's keys in order. */
async function allPages(
  path: string,
  itemsOf: (body: Body) => Item[],
  keyOf: (item: Item) => string,
  s?: BrowserSession,
) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body } = await get(
      `${path}${sep}limit=${LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      s,
    );
    expect(status, JSON.stringify(body)).toBe(200);
    pages.push(itemsOf(body).map(keyOf));
    cursor = body.nextCursor as string | null;
    expect(pages.length).toBeLessThan(50);
  } while (cursor);
  return pages;
}

const n = [...Array(N).keys()];

beforeAll(async () => {
  app = await startAccessApp();
  const db = app.db;
  await bootstrapAccess(db, { STAYFLOW_BOOTSTRAP_TOKEN: TOKEN }, pino({ level: 'silent' }));
  const created = await fetch(`${app.url}/api/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ externalId: 'whole-1', name: 'Whole Co' }),
  });
  expect(created.status).toBe(201);
  accountId = ((await created.json()) as { id: string }).id;

  // One statement each, so created_at ties; playbook names tie in pairs.
  const playbooks = await db
    .insertInto('playbooks')
    .values(
      n.map((i) => ({ key: `paged-${i}`, name: `Paged ${Math.floor(i / 2)}`, draft: '{}', current_version: null })),
    )
    .returning('id')
    .execute();
  playbookId = playbooks[0]!.id;
  await db
    .insertInto('playbook_versions')
    .values(
      n.map((i) => ({
        playbook_id: playbookId,
        version: i + 1,
        definition: '{}',
        compiled: '{}',
        checksum: `c${i}`,
        note: `v${i + 1}`,
        published_by: null,
      })),
    )
    .execute();
  const managerUser = await createUser(db, { email: 'mona@acme.example', role: 'manager', password: PASSWORD });
  await db
    .insertInto('users')
    .values(
      n.map((i) => ({
        email: `csm${i}@acme.example`,
        name: `CSM ${i}`,
        role: 'csm',
        manager_id: managerUser.id,
        password_hash: null,
        booking_link: null,
        signature: null,
        deactivated_at: null,
      })),
    )
    .execute();
  await db
    .insertInto('email_templates')
    .values(
      n.map((i) => ({
        key: `paged-${i}`,
        name: `Paged ${i}`,
        description: null,
        locales: JSON.stringify({ en: { subject: 'Hi', body: 'Hello' } }),
        default_locale: 'en',
        variables: [],
        checksum: `t${i}`,
        shipped_checksum: null,
      })),
    )
    .execute();
  await db
    .insertInto('api_tokens')
    .values(
      n.map((i) => ({
        name: `paged-${i}`,
        token_hash: `${i}`.padStart(64, 'a'),
        scopes: ['read'],
        last_used_at: null,
        revoked_at: null,
        expires_at: null,
        created_by: null,
      })),
    )
    .execute();
  await db
    .insertInto('contacts')
    .values(
      n.map((i) => ({
        account_id: accountId,
        name: `Contact ${i}`,
        email: `contact${i}@whole.example`,
        role: null,
        locale: null,
        unsubscribed_at: null,
        is_primary: i === 0,
      })),
    )
    .execute();
  await db
    .insertInto('account_field_definitions')
    .values(n.map((i) => ({ name: `paged_${i}`, type: 'text', label: `Paged ${i}` })))
    .execute();
  await installDefaultScorecard(db);
  const card = (await currentScorecard(db)).definition;
  for (const _ of n) await saveScorecard(db, card);
  // Referral events on two instants only: the ledger's lines tie on their time.
  await recordEvents(
    db,
    n.map((i) => ({
      accountId,
      name: i % 3 === 0 ? 'referral.renewed' : 'referral.converted',
      occurredAt: new Date(`2027-01-0${1 + (i % 2)}T10:00:00Z`),
      data: { referredName: `Referred ${i}` },
    })),
  );

  manager = new BrowserSession(app);
  expect((await manager.signIn('mona@acme.example', PASSWORD)).status).toBe(200);
}, 120_000);
afterAll(() => app?.close());

const items = (body: Body) => body.items as Item[];

describe('cursor paging on the lists that answered everything at once', () => {
  it.each<[string, () => string, (body: Body) => Item[], (item: Item) => string, number]>([
    ['playbooks', () => '/api/playbooks', items, (i: Item) => String(i.id), N],
    ['a playbook’s versions', () => `/api/playbooks/${playbookId}/versions`, items, (i: Item) => String(i.version), N],
    ['users', () => '/api/users', items, (i: Item) => String(i.email), N + 1],
    ['users of one role', () => '/api/users?role=csm', items, (i: Item) => String(i.email), N],
    ['CSM profiles', () => '/api/csms', items, (i: Item) => String(i.email), N + 1],
    ['templates', () => '/api/templates', items, (i: Item) => String(i.key), N],
    ['API tokens', () => '/api/tokens', items, (i: Item) => String(i.id), N + 1],
    ['an account’s contacts', () => `/api/accounts/${accountId}/contacts`, items, (i: Item) => String(i.id), N],
    ['scorecard versions', () => '/api/scorecard/versions', items, (i: Item) => String(i.version), N + 1],
    [
      'custom account fields',
      () => '/api/account-fields',
      (b: Body) => b.custom as Item[],
      (i: Item) => String(i.name),
      N,
    ],
    [
      'referral ledger entries',
      () => `/api/accounts/${accountId}/referrals`,
      (b: Body) => b.entries as Item[],
      (i: Item) => `${String(i.eventId)}/${String(i.kind)}`,
      N,
    ],
  ])('%s: every row exactly once, in the order of one long page', async (_what, pathOf, itemsOf, keyOf, count) => {
    const path = pathOf();
    const pages = await allPages(path, itemsOf, keyOf);
    expect(pages.length).toBe(Math.ceil(count / LIMIT));
    expect(pages.slice(0, -1).every((page) => page.length === LIMIT)).toBe(true);
    const paged = pages.flat();
    expect(new Set(paged).size).toBe(count);
    // No limit: the default page holds the whole list, as clients written before paging expect.
    const whole = await get(path);
    expect(whole.status).toBe(200);
    expect(whole.body.nextCursor).toBeNull();
    expect(itemsOf(whole.body).map(keyOf)).toEqual(paged);
  });

  it('keeps each list’s order across pages', async () => {
    const versions = (await allPages(`/api/playbooks/${playbookId}/versions`, items, (i) => String(i.version))).flat();
    expect(versions).toEqual(n.map((i) => String(N - i)));
    const names = (await allPages('/api/playbooks', items, (i) => String(i.name))).flat();
    expect(names).toEqual([...names].sort());
  });

  it('the referral totals count every line on every page; built-in fields come once, on the first page', async () => {
    const first = await get(`/api/accounts/${accountId}/referrals?limit=${LIMIT}`);
    const second = await get(
      `/api/accounts/${accountId}/referrals?limit=${LIMIT}&cursor=${first.body.nextCursor as string}`,
    );
    const totals = ({ creditCents, referrals, renewals }: Body) => ({ creditCents, referrals, renewals });
    expect(totals(second.body)).toEqual(totals(first.body));
    expect(first.body).toMatchObject({ referrals: 5, renewals: 3, creditCents: 5 * 200_00 + 3 * 100_00 });
    const fields = await get(`/api/account-fields?limit=${LIMIT}`);
    expect((fields.body.builtIn as Item[]).length).toBeGreaterThan(0);
    const more = await get(`/api/account-fields?limit=${LIMIT}&cursor=${fields.body.nextCursor as string}`);
    expect(more.body.builtIn).toEqual([]);
  });

  it("a manager's team pages too", async () => {
    const pages = await allPages(
      '/api/team',
      (b) => (b.members as string[]).map((email) => ({ email })),
      (i) => String(i.email),
      manager,
    );
    expect(pages.flat()).toEqual(n.map((i) => `csm${i}@acme.example`));
    expect(pages.length).toBe(Math.ceil(N / LIMIT));
  });

  it('refuses a cursor it did not give out, and a limit out of range, with a 400', async () => {
    const forged = Buffer.from(JSON.stringify(['x', 1, 2])).toString('base64url');
    for (const path of [
      `/api/playbooks?cursor=${forged}`,
      `/api/playbooks/${playbookId}/versions?cursor=${forged}`,
      `/api/users?cursor=${forged}`,
      `/api/csms?cursor=${forged}`,
      `/api/templates?cursor=${forged}`,
      `/api/tokens?cursor=${forged}`,
      `/api/accounts/${accountId}/contacts?cursor=${forged}`,
      `/api/scorecard/versions?cursor=${forged}`,
      `/api/account-fields?cursor=${forged}`,
      `/api/accounts/${accountId}/referrals?cursor=${forged}`,
      `/api/accounts/${accountId}/referrals?cursor=${Buffer.from(JSON.stringify(['2027-01-01T10:00:00Z', '1; drop', 'x'])).toString('base64url')}`,
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(JSON.stringify(body), path).toMatch(/cursor is not one this API gave out/);
    }
    expect((await get('/api/team?cursor=nonsense!', manager)).status).toBe(400);
    expect((await get('/api/templates?limit=0')).status).toBe(400);
    expect((await get('/api/templates?limit=501')).status).toBe(400);
  });
});
