import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../server/api/http-error.js';
import { bootstrapAccess } from '../../server/auth/bootstrap.js';
import { createUser } from '../../server/auth/users.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// Every error is an RFC 9457 problem (application/problem+json) that also keeps the `error` object older clients
// (the editor) read; a 429 says when to try again.

const TOKEN = 'sf_problem-tests-0123456789-abcdefghijklmnopqrstuvwxyz';
const PASSWORD = 'correct horse battery staple';
let app: AccessApp;

const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    body,
  });
  return { res, body: (await res.json()) as Problem };
};

beforeAll(async () => {
  app = await startAccessApp();
  await bootstrapAccess(app.db, { STAYFLOW_BOOTSTRAP_TOKEN: TOKEN }, pino({ level: 'silent' }));
}, 60_000);
afterAll(() => app.close());

describe('errors as problem details', () => {
  it('answers a bad request as application/problem+json with type, title, status, detail, instance and issues', async () => {
    const { res, body } = await call('POST', '/api/accounts?x=1', JSON.stringify({ externalId: '', name: 'A' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Problem.parse(body)).toBeTruthy();
    expect(body).toMatchObject({
      type: 'https://stayflow.dev/problems/invalid_request',
      title: 'Bad Request',
      status: 400,
      instance: '/api/accounts',
      code: 'invalid_request',
    });
    expect(body.detail).toMatch(/^Invalid body — externalId: /);
    expect(body.issues?.[0]?.path).toBe('externalId');
    // The shape clients used before stays, with the same facts.
    expect(body.error).toEqual({ code: body.code, message: body.detail, issues: body.issues });
  });

  it('gives not-found, unauthenticated and malformed JSON the same shape, each with its own type', async () => {
    const missing = await call('GET', '/api/accounts/by-external-id/nobody');
    expect(missing.res.status).toBe(404);
    expect(missing.body.type).toBe('https://stayflow.dev/problems/not_found');
    expect(missing.body.instance).toBe('/api/accounts/by-external-id/nobody');

    const anonymous = await call('GET', '/api/accounts', undefined, { authorization: '' });
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(anonymous.body.title).toBe('Unauthorized');

    const broken = await call('POST', '/api/accounts', '{"name":');
    expect(broken.res.status).toBe(400);
    expect(Problem.parse(broken.body).code).toBe('invalid_json');

    const noRoute = await call('GET', '/api/no-such-thing');
    expect(noRoute.res.status).toBe(404);
    expect(Problem.parse(noRoute.body).detail).toBe('No API route GET /api/no-such-thing');
  });

  it('answers what fuzzing found with a 4xx, not a 500: a cookie that is not %-encoding, a version past int4', async () => {
    const cookie = await call('GET', '/api/session', undefined, {
      authorization: '',
      cookie: 'stayflow_session=%E0%A4%A',
    });
    expect(cookie.res.status).toBe(401);
    const version = await call('GET', '/api/playbooks/any/versions/9007199254740990');
    expect(version.res.status).toBe(400);
    expect(version.body.issues?.[0]?.path).toBe('version');
  });

  it('answers a method a known path does not take with 405 and the methods it does take', async () => {
    const { res, body } = await call('DELETE', '/api/accounts');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(body.code).toBe('method_not_allowed');
    // A fixed path beside a parameter one keeps its own methods.
    expect((await call('PUT', '/api/accounts/import')).res.headers.get('allow')).toBe('POST');
    expect((await call('GET', '/api/nothing/here')).res.status).toBe(404);
    // A fixed path beside a parameter route: not the parameter route's "must be a UUID", but the fixed path's 405.
    const fixed = await call('GET', '/api/outbox/deliveries/settle');
    expect(fixed.res.status).toBe(405);
    expect(fixed.res.headers.get('allow')).toBe('POST');
  });

  it('refuses an email whose part before @ is over 64 characters with a 400 naming the field', async () => {
    const owner = `${'a'.repeat(65)}@acme.example`;
    const { res, body } = await call(
      'POST',
      '/api/accounts',
      JSON.stringify({ externalId: 'long-mail', name: 'Long Mail', ownerCsmEmail: owner }),
    );
    expect(res.status).toBe(400);
    expect(body.issues).toContainEqual(
      expect.objectContaining({ path: 'ownerCsmEmail', message: 'the part before @ must be at most 64 characters' }),
    );
    expect((await call('GET', '/api/accounts/by-external-id/long-mail')).res.status).toBe(404);
  });

  it('says in Retry-After when a locked-out sign-in may try again', async () => {
    await createUser(app.db, { email: 'luis@acme.example', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 5; i++) await new BrowserSession(app).signIn('luis@acme.example', 'nope');
    const locked = await new BrowserSession(app).signIn('luis@acme.example', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const seconds = Number(locked.headers.get('retry-after'));
    // Locked for 15 minutes from the last failure, on the app's clock.
    expect(seconds).toBeGreaterThan(14 * 60);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.body.type).toBe('https://stayflow.dev/problems/too_many_attempts');
  });
});
