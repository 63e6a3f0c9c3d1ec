import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import '../support/provided.js';
import { asAdmin } from '../support/api.js';
import { until } from '../support/until.js';

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${inject('apiUrl')}${path}`, { ...init, headers: asAdmin(init.headers as Record<string, string>) });
const json = async <T>(res: Response) => (await res.json()) as T;

const postEvents = (body: unknown, opts: { token?: string | null; headers?: Record<string, string> } = {}) => {
  const token = opts.token === undefined ? inject('apiTokens').events : opts.token;
  return api('/api/events', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // No token: no Authorization at all (not the admin's, which the api() helper would add).
      authorization: token === null ? '' : `Bearer ${token}`,
      ...opts.headers,
    },
    body: JSON.stringify(body),
  });
};

interface ApiError {
  error: { code: string; message: string; issues?: { path: string; code: string; message: string }[] };
}
interface Accepted {
  accepted: number;
  duplicates: number;
  results: { index: number; id: number; seq: number; status: 'accepted' | 'duplicate'; accountId: string }[];
}
interface EventList {
  items: { seq: number; name: string; data: Record<string, unknown>; idempotencyKey: string | null }[];
}
interface HealthRecord {
  riskScore: number;
  riskLevel: string;
  healthScore: number;
  scorecardVersion: number;
  fired: { signalId: string; points: number; why: string }[];
}

async function createAccount(): Promise<{ id: string; externalId: string }> {
  const externalId = `evt-${randomUUID()}`;
  const res = await api('/api/accounts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ externalId, name: 'Acme Events' }),
  });
  expect(res.status).toBe(201);
  const account = await json<{ id: string }>(res);
  return { id: account.id, externalId };
}
const eventsOf = async (accountId: string) => json<EventList>(await api(`/api/accounts/${accountId}/events?limit=500`));

describe('POST /api/events needs an API token with the events scope', () => {
  it.each([
    ['no Authorization header', null, 401, 'unauthorized'],
    ['an unknown token', `sf_${'x'.repeat(43)}`, 401, 'unauthorized'],
    ['a revoked token', 'revoked', 401, 'unauthorized'],
    ['a token without the events scope', 'otherScope', 403, 'forbidden'],
  ] as const)('%s → %i', async (_name, which, status, code) => {
    const tokens = inject('apiTokens');
    const token = which === 'revoked' || which === 'otherScope' ? tokens[which] : which;
    const res = await postEvents({ externalId: 'anyone', name: 'product.login' }, { token });
    expect(res.status).toBe(status);
    expect((await json<ApiError>(res)).error.code).toBe(code);
    if (status === 401) expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });
});

describe('events', () => {
  let account: { id: string; externalId: string };
  beforeAll(async () => {
    account = await createAccount();
  });

  it('stores an event sent twice with one Idempotency-Key once, and says duplicate', async () => {
    const key = `login-${randomUUID()}`;
    const event = { externalId: account.externalId, name: 'product.login' };
    const first = await postEvents(event, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(202);
    const a = await json<Accepted>(first);
    expect(a).toMatchObject({
      accepted: 1,
      duplicates: 0,
      results: [{ index: 0, status: 'accepted', accountId: account.id }],
    });

    const second = await postEvents(event, { headers: { 'idempotency-key': key } });
    expect(second.status).toBe(202);
    const b = await json<Accepted>(second);
    expect(b).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(b.results[0]).toMatchObject({ status: 'duplicate', id: a.results[0]!.id, seq: a.results[0]!.seq });

    const stored = (await eventsOf(account.id)).items.filter((e) => e.idempotencyKey === key);
    expect(stored).toHaveLength(1);
  });

  it('refuses a batch with a malformed event or an unknown account with 422 per index, storing nothing', async () => {
    const before = (await eventsOf(account.id)).items.length;
    const res = await postEvents({
      events: [
        { externalId: account.externalId, name: 'product.session', data: { minutes: 20 } },
        { externalId: account.externalId, name: 'nps.answered', data: { score: 42 } },
        { externalId: account.externalId, name: 'product.login', surprise: true },
      ],
    });
    expect(res.status).toBe(422);
    const body = await json<ApiError>(res);
    expect(body.error.code).toBe('invalid_events');
    expect(body.error.message).toContain('Nothing was stored');
    expect(body.error.issues!.map((i) => i.path)).toEqual(['events[1].data.score', 'events[2]']);

    const unknown = await postEvents({
      events: [
        { externalId: account.externalId, name: 'product.login' },
        { externalId: `nobody-${randomUUID()}`, name: 'product.login' },
      ],
    });
    expect(unknown.status).toBe(422);
    expect((await json<ApiError>(unknown)).error.issues).toEqual([
      expect.objectContaining({ path: 'events[1].externalId', code: 'unknown_account' }),
    ]);
    expect((await eventsOf(account.id)).items.length).toBe(before);
  });

  it('gives a batch’s events increasing seq per account in the order sent', async () => {
    const other = await createAccount();
    const res = await postEvents({
      events: [
        { externalId: account.externalId, name: 'feature.used', data: { feature: 'reports' } },
        { accountId: other.id, name: 'product.login' },
        { externalId: account.externalId, name: 'feature.used', data: { feature: 'alerts' } },
        { externalId: account.externalId, name: 'custom.thing', data: { anything: [1, 2, 3] } },
      ],
    });
    expect(res.status).toBe(202);
    const { results } = await json<Accepted>(res);
    const mine = results.filter((r) => r.accountId === account.id).map((r) => r.seq);
    expect(mine).toEqual([mine[0]!, mine[0]! + 1, mine[0]! + 2]);
    expect(results[1]).toMatchObject({ accountId: other.id, seq: 1 });
    const newest = (await eventsOf(account.id)).items.slice(0, 3).map((e) => e.name);
    expect(newest).toContain('custom.thing');
  });

  it('shows the fired signals and why on the account’s health after its events', async () => {
    const scored = await createAccount();
    const res = await postEvents({
      events: [
        { externalId: scored.externalId, name: 'nps.answered', data: { score: 3 } },
        { externalId: scored.externalId, name: 'csat.answered', data: { score: 2 } },
      ],
    });
    expect(res.status).toBe(202);
    const now = await api(`/api/accounts/${scored.id}/health`, { method: 'POST' });
    expect(now.status).toBe(201);

    const latest = await until('a health score with the survey signals', async () => {
      const health = await json<{ latest: HealthRecord | null; history: HealthRecord[] }>(
        await api(`/api/accounts/${scored.id}/health`),
      );
      return health.latest?.fired.some((f) => f.signalId === 'nps-below-7') ? health.latest : undefined;
    });
    // A new account: the windowed signals wait for their window; the two surveys fire (high, 30 each).
    expect(latest).toMatchObject({ riskScore: 60, riskLevel: 'medium', healthScore: 40 });
    expect(latest.fired.map((f) => [f.signalId, f.why])).toEqual([
      ['nps-below-7', 'latest NPS score in the last 365 days: 3 (< 7 is a risk)'],
      ['csat-below-3', 'latest CSAT score in the last 90 days: 2 (< 3 is a risk)'],
    ]);
  });

  it('answers 404 for the events or health of an account that does not exist', async () => {
    for (const path of ['events', 'health']) {
      const res = await api(`/api/accounts/${randomUUID()}/${path}`);
      expect(res.status).toBe(404);
    }
  });
});

describe('the scorecard', () => {
  it('serves the current version, and refuses a bad one without changing it', async () => {
    const current = await json<{ version: number; definition: { signals: unknown[] } }>(await api('/api/scorecard'));
    expect(current.version).toBeGreaterThanOrEqual(1);
    expect(current.definition.signals).toHaveLength(12);

    const bad = await api('/api/scorecard', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...current.definition, levels: { high: 20, medium: 50, low: 80 } }),
    });
    expect(bad.status).toBe(400);
    expect((await json<ApiError>(bad)).error.issues![0]!.path).toBe('levels');

    // A bad scorecard changed nothing. A valid PUT is tested on its own stack
    // (account-workflows-own-stack.test.ts): here it would rescore every account of this shared stack — the
    // 10,000 the import test made — while the files after this one run.
    expect((await json<{ version: number }>(await api('/api/scorecard'))).version).toBe(current.version);
  });

  it('is documented in the OpenAPI document with the events body', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { requestBody?: unknown; responses: object }>> }>(
      await api('/api/openapi.json'),
    );
    const post = doc.paths['/api/events']!.post!;
    expect(JSON.stringify(post.requestBody)).toContain('idempotencyKey');
    // Rendered inline: a `$defs` reference would not resolve inside the OpenAPI document.
    expect(JSON.stringify(post.requestBody)).not.toContain('$defs');
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '401', '403', '422']));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/scorecard', '/api/accounts/{id}/health', '/api/accounts/{id}/events']),
    );
  });
});
