import { request } from 'node:http';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccess } from '../../server/auth/bootstrap.js';
import { createUser } from '../../server/auth/users.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// Signing in as people do, against the API app on PGlite with the test's clock: the cookie, sessions that end
// when idle and at their absolute end, CSRF and Host refusals, the sign-in limits, the first admin and the
// bootstrap token, API tokens' scopes, expiry and revocation, and logs that never hold a credential.

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;

beforeAll(async () => {
  app = await startAccessApp({ SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '8' });
  await createUser(app.db, { email: 'admin@acme.example', role: 'admin', password: PASSWORD });
  await createUser(app.db, { email: 'ana@acme.example', role: 'csm', password: PASSWORD });
}, 60_000);
afterAll(() => app?.close());

const anonymous = (path: string, init: RequestInit = {}) => fetch(`${app.url}${path}`, init);
const minutes = (n: number) => n * 60_000;

describe('signing in and out', () => {
  it('sets an httpOnly, SameSite=Lax session cookie, answers the user and the CSRF token; signing out ends it', async () => {
    const browser = new BrowserSession(app);
    const signIn = await browser.signIn('Admin@Acme.example', PASSWORD);
    expect(signIn.status).toBe(200);
    expect(signIn.body.user).toMatchObject({ email: 'admin@acme.example', role: 'admin' });
    expect(signIn.setCookie).toMatch(
      /^stayflow_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/,
    );
    const me = await browser.request('GET', '/api/session');
    expect(me.body).toMatchObject({ user: { email: 'admin@acme.example' }, csrfToken: signIn.body.csrfToken });

    const cookie = browser.cookie!;
    expect((await browser.request('DELETE', '/api/session')).status).toBe(200);
    // The old cookie, replayed: the session is gone on the server.
    const replay = await anonymous('/api/session', { headers: { cookie } });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.message).toBe('Your session has ended: sign in again');
  });

  it('answers a wrong password and an unknown email alike, and records both as failed sign-ins', async () => {
    const wrong = await new BrowserSession(app).signIn('ana@acme.example', 'not the password');
    const unknown = await new BrowserSession(app).signIn('nobody@acme.example', PASSWORD);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    const failed = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'login.failed')
      .execute();
    expect(failed.map((f) => [f.actor, (f.detail as { reason: string }).reason])).toEqual(
      expect.arrayContaining([
        ['ana@acme.example', 'wrong password'],
        ['nobody@acme.example', 'unknown email'],
      ]),
    );
  });

  it('ends a session left idle past SESSION_IDLE_MINUTES', async () => {
    const browser = new BrowserSession(app);
    await browser.signIn('ana@acme.example', PASSWORD);
    app.advance(minutes(29));
    expect((await browser.request('GET', '/api/session')).status).toBe(200);
    app.advance(minutes(29)); // 29 minutes since the last use: still alive
    expect((await browser.request('GET', '/api/session')).status).toBe(200);
    app.advance(minutes(31));
    expect((await browser.request('GET', '/api/session')).status).toBe(401);
  });

  it('ends a busy session at SESSION_MAX_HOURS after sign-in', async () => {
    const browser = new BrowserSession(app);
    await browser.signIn('ana@acme.example', PASSWORD);
    // Used every 20 minutes (never idle for 30) for 7 h 40 min…
    for (let used = 0; used < 23; used++) {
      app.advance(minutes(20));
      expect((await browser.request('GET', '/api/session')).status).toBe(200);
    }
    app.advance(minutes(19));
    expect((await browser.request('GET', '/api/session')).status).toBe(200);
    app.advance(minutes(2)); // 8 h since sign-in, though used two minutes ago
    expect((await browser.request('GET', '/api/session')).status).toBe(401);
  });
});

describe('CSRF and Host', () => {
  it('refuses an unsafe cookie request without the CSRF token, from another origin or another site; nothing changes', async () => {
    const browser = new BrowserSession(app);
    await browser.signIn('admin@acme.example', PASSWORD);
    const newUser = (email: string) => ({ email, role: 'viewer' });
    const refusals = [
      await browser.request('POST', '/api/users', newUser('a@csrf.example'), { 'x-csrf-token': '' }),
      await browser.request('POST', '/api/users', newUser('b@csrf.example'), { origin: 'https://evil.example' }),
      await browser.request('POST', '/api/users', newUser('c@csrf.example'), { 'sec-fetch-site': 'cross-site' }),
      // A plain cross-site form post (text/plain, no preflight) carries no token at all.
      await browser.request('POST', '/api/users', undefined, {
        'content-type': 'text/plain',
        'x-csrf-token': '',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      }),
    ];
    expect(refusals.map((r) => [r.status, r.body.error.code])).toEqual([
      [403, 'csrf'],
      [403, 'csrf'],
      [403, 'csrf'],
      [403, 'csrf'],
    ]);
    expect(await app.db.selectFrom('users').select('email').where('email', 'like', '%@csrf.example').execute()).toEqual(
      [],
    );
    const allowed = await browser.request('POST', '/api/users', newUser('d@csrf.example'));
    expect(allowed.status).toBe(201);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const res = await anonymous('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ email: 'admin@acme.example', password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('answers only under its own names: another Host (DNS rebinding) gets 421, loopback names work', async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: app.port, path: '/api/health', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get('attacker.example')).toBe(421);
    expect(await get(`attacker.example:${app.port}`)).toBe(421);
    expect(await get(`127.0.0.1:${app.port + 1}`)).toBe(421);
    expect(await get(`localhost:${app.port}`)).not.toBe(421);
    expect(await get(`127.0.0.1:${app.port}`)).not.toBe(421);
  });

  it('with PUBLIC_URL, answers its host', async () => {
    const other = await startAccessApp(
      { PUBLIC_URL: 'https://stayflow.acme.example' },
      { database: app.context.database },
    );
    try {
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port: other.port, path: '/api/openapi.json', headers: { host } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end();
        });
      expect(await status('stayflow.acme.example')).toBe(200);
      expect(await status('stayflow.evil.example')).toBe(421);
    } finally {
      await other.close();
    }
  });
});

describe('sign-in limits', () => {
  it('locks an account after 5 failures in 15 minutes, even for the right password, then lets it in again', async () => {
    await createUser(app.db, { email: 'luis@acme.example', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 5; i++)
      expect((await new BrowserSession(app).signIn('luis@acme.example', 'nope')).status).toBe(401);
    const locked = await new BrowserSession(app).signIn('luis@acme.example', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/^Too many failed sign-ins: try again after /);
    app.advance(minutes(16));
    expect((await new BrowserSession(app).signIn('luis@acme.example', PASSWORD)).status).toBe(200);
  });

  it('locks a client address after 20 failures, whichever accounts it tried', async () => {
    await createUser(app.db, { email: 'marta@acme.example', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 20; i++) await new BrowserSession(app).signIn(`spray-${i}@acme.example`, 'guess');
    expect((await new BrowserSession(app).signIn('marta@acme.example', PASSWORD)).status).toBe(429);
    app.advance(minutes(16));
    expect((await new BrowserSession(app).signIn('marta@acme.example', PASSWORD)).status).toBe(200);
  });
});

describe('the first admin and the bootstrap token', () => {
  it('makes the admin from STAYFLOW_ADMIN_* and an admin token with exactly STAYFLOW_BOOTSTRAP_TOKEN, once', async () => {
    const fresh = await startAccessApp();
    try {
      const logger = pino({ level: 'silent' });
      const token = 'sf_bootstrap-0123456789-abcdefghijklmnopqrstuvwxyz';
      const config = {
        STAYFLOW_ADMIN_EMAIL: 'first@acme.example',
        STAYFLOW_ADMIN_PASSWORD: 'first admin password',
        STAYFLOW_BOOTSTRAP_TOKEN: token,
      };
      expect(await bootstrapAccess(fresh.db, {}, logger)).toEqual({ hasAdmin: false });
      expect(await bootstrapAccess(fresh.db, config, logger)).toEqual({ hasAdmin: true });
      expect((await new BrowserSession(fresh).signIn('first@acme.example', 'first admin password')).status).toBe(200);
      const asToken = await fetch(`${fresh.url}/api/users`, { headers: { authorization: `Bearer ${token}` } });
      expect(asToken.status).toBe(200);

      // Revoked, it stays revoked across restarts; a changed password in the environment changes nothing.
      const [made] = (
        await (await fetch(`${fresh.url}/api/tokens`, { headers: { authorization: `Bearer ${token}` } })).json()
      ).items as { id: string }[];
      await fetch(`${fresh.url}/api/tokens/${made!.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
      await bootstrapAccess(fresh.db, { ...config, STAYFLOW_ADMIN_PASSWORD: 'another password here' }, logger);
      expect((await fetch(`${fresh.url}/api/users`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
        401,
      );
      expect((await new BrowserSession(fresh).signIn('first@acme.example', 'first admin password')).status).toBe(200);
      const audit = await fresh.db.selectFrom('audit_log').select(['action', 'actor']).orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['user.created', 'token.created', 'token.revoked']);
    } finally {
      await fresh.close();
    }
  });
});

describe('API tokens', () => {
  it('admit by scope, expire, record their last use and stop working when revoked', async () => {
    const admin = new BrowserSession(app);
    await admin.signIn('admin@acme.example', PASSWORD);
    const expiresAt = new Date(app.clock.now.getTime() + minutes(60)).toISOString();
    const created = await admin.request('POST', '/api/tokens', { name: 'reporting', scopes: ['read'], expiresAt });
    expect(created.status).toBe(201);
    const { secret, token } = created.body as { secret: string; token: { id: string } };
    const bearer = { authorization: `Bearer ${secret}` };

    expect((await anonymous('/api/accounts', { headers: bearer })).status).toBe(200);
    const write = await anonymous('/api/accounts', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'x', name: 'X' }),
    });
    expect(write.status).toBe(403);
    expect((await write.json()).error.message).toBe("The API token 'reporting' lacks the 'accounts:write' scope");
    const listed = (await admin.request('GET', '/api/tokens')).body.items.find(
      (t: { id: string }) => t.id === token.id,
    );
    expect(listed.lastUsedAt).toBe(app.clock.now.toISOString());
    expect(JSON.stringify(listed)).not.toContain(secret);

    app.advance(minutes(61));
    expect((await anonymous('/api/accounts', { headers: bearer })).status).toBe(401);
    await admin.signIn('admin@acme.example', PASSWORD); // the hour left the admin's own session idle

    const second = await admin.request('POST', '/api/tokens', { name: 'ci', scopes: ['playbooks:publish'] });
    const ci = { authorization: `Bearer ${second.body.secret}` };
    expect((await anonymous('/api/playbooks', { headers: ci })).status).toBe(403);
    expect((await admin.request('DELETE', `/api/tokens/${second.body.token.id}`)).status).toBe(200);
    expect((await anonymous('/api/playbooks', { headers: ci })).status).toBe(401);
    const audit = await app.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', second.body.token.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['token.created', 'token.revoked']);
  });

  it('refuses a bearer token that is not one, with WWW-Authenticate', async () => {
    const res = await anonymous('/api/accounts', {
      headers: { authorization: 'Bearer sf_not-a-real-token-0123456789abcdefghij' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="stayflow"');
  });
});

describe('what the server tells', () => {
  it('keeps credentials out of the request log: Authorization, Cookie, Set-Cookie, the CSRF token', async () => {
    const browser = new BrowserSession(app);
    await browser.signIn('admin@acme.example', PASSWORD);
    await browser.request('POST', '/api/tokens', { name: 'log check', scopes: ['read'] });
    const created = await browser.request('POST', '/api/tokens', { name: 'log check 2', scopes: ['read'] });
    await anonymous('/api/accounts', { headers: { authorization: `Bearer ${created.body.secret}` } });
    const session = browser.cookie!.split('=')[1]!;
    const log = app.logs.join('\n');
    expect(log).toContain('"authorization":"[redacted]"');
    expect(log).toContain('"cookie":"[redacted]"');
    expect(log).toContain('"set-cookie":"[redacted]"');
    for (const secret of [created.body.secret, session, browser.csrfToken!]) expect(log).not.toContain(secret);
  });

  it('answers /api/health to anyone without file paths, hosts or versions', async () => {
    const res = await anonymous('/api/health');
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ components: { database: { state: 'up' } } });
    expect(text).not.toMatch(/memory:|pglite|\/tmp|\.data|version|detail/i);
  });

  it('keeps the audit log append-only, and serves it to admins filtered and a page at a time', async () => {
    await expect(sql`update audit_log set actor = 'someone else'`.execute(app.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(app.db)).rejects.toThrow(/append-only/);
    const admin = new BrowserSession(app);
    await admin.signIn('admin@acme.example', PASSWORD);
    const first = await admin.request('GET', '/api/audit?action=login.failed&limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items.every((e: { action: string }) => e.action === 'login.failed')).toBe(true);
    const next = await admin.request('GET', `/api/audit?action=login.failed&limit=2&cursor=${first.body.nextCursor}`);
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(first.body.items[1].id));
    expect((await admin.request('GET', '/api/audit?action=token.*')).body.items.length).toBeGreaterThan(0);
    const csm = new BrowserSession(app);
    await csm.signIn('ana@acme.example', PASSWORD);
    expect((await csm.request('GET', '/api/audit')).status).toBe(403);
  });
});

describe('the runs API', () => {
  it('acts on playbook runs only: an account workflow or a sweep is 404, even for an admin', async () => {
    const admin = new BrowserSession(app);
    await admin.signIn('admin@acme.example', PASSWORD);
    const account = encodeURIComponent(`account:${'0'.repeat(8)}-0000-4000-8000-000000000000`);
    const answers = [
      await admin.request('GET', `/api/runs/${account}`),
      await admin.request('POST', `/api/runs/${account}/cancel`),
      await admin.request('GET', '/api/runs/stayflow-daily-sweep/deliveries'),
    ];
    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual([
      [404, 'not_found'],
      [404, 'not_found'],
      [404, 'not_found'],
    ]);
  });
});

describe('users and roles', () => {
  it('lists a CSM only their own accounts', async () => {
    await app.db
      .insertInto('accounts')
      .values([
        { external_id: 'ana-1', name: 'Ana one', owner_csm_email: 'ana@acme.example' },
        { external_id: 'other-1', name: 'Other one', owner_csm_email: 'bea@acme.example' },
      ])
      .execute();
    const csm = new BrowserSession(app);
    await csm.signIn('ana@acme.example', PASSWORD);
    const items = (await csm.request('GET', '/api/accounts')).body.items as { externalId: string }[];
    expect(items.map((a) => a.externalId)).toEqual(['ana-1']);
  });

  it("hands a deactivated CSM's open tasks to their manager", async () => {
    const manager = await createUser(app.db, { email: 'boss@acme.example', role: 'manager' });
    const csm = await createUser(app.db, { email: 'leaving@acme.example', role: 'csm', managerId: manager.id });
    await app.db
      .insertInto('csm_tasks')
      .values({
        workflow_id: 'playbook:x:account:y',
        run_id: 'r',
        step_key: 'leaving',
        node_id: 'call',
        assignee_role: 'ownerCsm',
        assignee_email: 'leaving@acme.example',
        kind: 'call',
        title: 'Call',
        due_at: new Date(),
      })
      .execute();
    const admin = new BrowserSession(app);
    await admin.signIn('admin@acme.example', PASSWORD);
    expect((await admin.request('PATCH', `/api/users/${csm.id}`, { active: false })).body).toMatchObject({
      active: false,
      canSignIn: false,
    });
    const task = await app.db
      .selectFrom('csm_tasks')
      .select('assignee_email')
      .where('step_key', '=', 'leaving')
      .executeTakeFirstOrThrow();
    expect(task.assignee_email).toBe('boss@acme.example');
  });

  it('keeps one active admin, records role changes, and ends the sessions of a deactivated user', async () => {
    const admin = new BrowserSession(app);
    const signedIn = await admin.signIn('admin@acme.example', PASSWORD);
    const adminId = signedIn.body.user.id as string;
    const demote = await admin.request('PATCH', `/api/users/${adminId}`, { role: 'ops' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toContain('last active admin');

    const csm = new BrowserSession(app);
    const ana = await csm.signIn('ana@acme.example', PASSWORD);
    const promoted = await admin.request('PATCH', `/api/users/${ana.body.user.id}`, { role: 'manager' });
    expect(promoted.body.role).toBe('manager');
    expect((await admin.request('PATCH', `/api/users/${ana.body.user.id}`, { active: false })).status).toBe(200);
    expect((await csm.request('GET', '/api/session')).status).toBe(401);
    const changes = await app.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'user.updated')
      .where('target_id', '=', ana.body.user.id)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => (c.detail as { changed: object }).changed)).toEqual([
      { role: { from: 'csm', to: 'manager' } },
      { active: { from: true, to: false } },
    ]);
  });
});
