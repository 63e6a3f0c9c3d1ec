import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountInput } from '../../engine/accounts/schema.js';
import { createAccount } from '../../server/accounts/store.js';
import { createToken, TOKEN_CACHE_MS, verifyToken } from '../../server/auth/tokens.js';
import { eventsAfter, recordEvents } from '../../server/events/store.js';
import { startAccessApp, type AccessApp } from '../support/access-app.js';

// POST /api/events on its short path: the token check answered from memory for a few seconds (a revoke through
// this process still ends it at once), account ids checked by the write itself, the batch written in one
// statement. Real parts: the API app over HTTP on PGlite.

let app: AccessApp;
let events: string;
let admin: string;
let accountId: string;

beforeAll(async () => {
  app = await startAccessApp();
  events = (await createToken(app.db, { name: 'product analytics', scopes: ['events:write'] })).secret;
  admin = (await createToken(app.db, { name: 'ops', scopes: ['admin'] })).secret;
  accountId = (await createAccount(app.db, AccountInput.parse({ externalId: 'acme', name: 'Acme' }))).id;
}, 60_000);

afterAll(async () => {
  await app?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const post = (secret: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

type Results = { accepted: number; duplicates: number; results: { status: string; id: number; seq: number }[] };

describe('the token check, answered from memory', () => {
  it('stops a revoked token at once on this process, though it was just verified', async () => {
    const { token, secret } = await createToken(app.db, { name: 'help desk', scopes: ['events:write'] });
    for (let i = 0; i < 2; i++) expect((await post(secret, { accountId, name: 'product.login' })).status).toBe(202);

    const revoke = await fetch(`${app.url}/api/tokens/${token.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoke.status).toBe(200);

    const refused = await post(secret, { accountId, name: 'product.login' });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('not valid (unknown, expired or revoked)');
  });

  it('refuses a token the moment it expires, even while it is remembered', async () => {
    const { secret } = await createToken(
      app.db,
      { name: 'trial', scopes: ['events:write'], expiresAt: new Date(app.clock.now.getTime() + 60_000) },
      app.clock.now,
    );
    expect((await post(secret, { accountId, name: 'product.login' })).status).toBe(202);
    app.advance(61_000);
    expect((await post(secret, { accountId, name: 'product.login' })).status).toBe(401);
  });

  it('sees a revoke made by another process (straight in the database) within TOKEN_CACHE_MS', async () => {
    const { token, secret } = await createToken(app.db, { name: 'cron', scopes: ['events:write'] });
    expect(await verifyToken(app.db, secret)).toMatchObject({ id: token.id });
    await app.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', token.id).execute();
    // The documented window: this process still trusts what it read a moment ago…
    expect(await verifyToken(app.db, secret)).toMatchObject({ id: token.id });
    // …and asks the database again once the window has passed.
    const now = performance.now.bind(performance);
    vi.spyOn(performance, 'now').mockImplementation(() => now() + TOKEN_CACHE_MS);
    expect(await verifyToken(app.db, secret)).toBeUndefined();
  });
});

describe('recording events in one statement', () => {
  it('names an unknown accountId by its index and stores nothing of the batch', async () => {
    const before = (await eventsAfter(app.db, accountId, 0, 1000)).length;
    const unknown = randomUUID();
    const res = await post(events, {
      events: [
        { accountId, name: 'product.login' },
        { accountId: unknown, name: 'product.login' },
        { externalId: 'acme', name: 'product.login' },
      ],
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { issues: unknown[] };
    expect(body.issues).toEqual([
      { path: 'events[1].accountId', code: 'unknown_account', message: `no account has accountId '${unknown}'` },
    ]);
    expect((await eventsAfter(app.db, accountId, 0, 1000)).length).toBe(before);
    // The refused batch gave its numbers back: the next event follows the last stored one.
    const next = (await (await post(events, { accountId, name: 'product.login' })).json()) as Results;
    expect(next.results[0]!.seq).toBe(before + 1);
  });

  it('numbers a batch per account in the order sent, after what each account had', async () => {
    const other = (await createAccount(app.db, AccountInput.parse({ externalId: 'globex', name: 'Globex' }))).id;
    const had = (await eventsAfter(app.db, accountId, 0, 1000)).length;
    const res = await post(events, {
      events: [
        { accountId: other, name: 'feature.used', data: { feature: 'a' } },
        { accountId, name: 'feature.used', data: { feature: 'b' } },
        { externalId: 'globex', name: 'feature.used', data: { feature: 'c' } },
        { accountId, name: 'feature.used', data: { feature: 'd' }, idempotencyKey: 'once' },
        { accountId, name: 'feature.used', data: { feature: 'e' }, idempotencyKey: 'once' },
      ],
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Results;
    expect(body.results.map((r) => [r.status, r.seq])).toEqual([
      ['accepted', 1],
      ['accepted', had + 1],
      ['accepted', 2],
      ['accepted', had + 2],
      ['duplicate', had + 2],
    ]);
    expect(body.results[4]!.id).toBe(body.results[3]!.id);
    const stored = await eventsAfter(app.db, other, 0);
    expect(stored.map((e) => [e.seq, e.data.feature])).toEqual([
      [1, 'a'],
      [2, 'c'],
    ]);
  });

  it('stores an idempotency key sent twice at once only once: one accepted, one duplicate of it', async () => {
    const had = (await eventsAfter(app.db, accountId, 0, 1000)).length;
    const event = { accountId, name: 'nps.answered', occurredAt: new Date(), data: { score: 9 }, idempotencyKey: 'x' };
    // Both read the keys before either writes: the second write meets the first's key and is planned again.
    const [a, b] = await Promise.all([recordEvents(app.db, [event]), recordEvents(app.db, [event])]);
    expect([a[0]!.status, b[0]!.status].sort()).toEqual(['accepted', 'duplicate']);
    expect(a[0]).toMatchObject({ id: b[0]!.id, seq: had + 1 });
    const [c] = await recordEvents(app.db, [{ ...event, idempotencyKey: 'y' }]);
    expect(c!.seq).toBe(had + 2);
    expect((await eventsAfter(app.db, accountId, had, 1000)).map((e) => e.seq)).toEqual([had + 1, had + 2]);
  });
});
