import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/auth/tokens.js';
import { createUser } from '../../server/auth/users.js';
import { isDomainError } from '../../server/errors.js';
import { publishDraft } from '../../server/playbooks/store.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// A version says why it was published and by whom: a person publishing from the editor with a note, CI publishing
// with a token; a draft that changed nothing keeps no note; and a published version reads back as it was drawn.

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;
let ops: BrowserSession;
let ciToken: string;

const definition = (days: number) => ({
  schemaVersion: 1,
  key: 'noted',
  name: 'Noted',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {}, position: { x: 0, y: 0 } },
    {
      id: 'wait',
      type: 'wait',
      label: `Wait ${days} days`,
      config: { kind: 'duration', amount: days, unit: 'days' },
      position: { x: 0, y: 150 },
    },
    { id: 'end', type: 'end', label: 'End', config: {}, position: { x: 0, y: 300 } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'end' },
  ],
});

const ci = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ciToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  app = await startAccessApp();
  await createUser(app.db, { email: 'Lead@Acme.example', role: 'ops', password: PASSWORD });
  ciToken = (await createToken(app.db, { name: 'ci', scopes: ['playbooks:write', 'playbooks:publish', 'read'] }))
    .secret;
  ops = new BrowserSession(app);
  expect((await ops.signIn('lead@acme.example', PASSWORD)).status).toBe(200);
  expect((await ops.request('POST', '/api/playbooks', { definition: definition(3) })).status).toBe(201);
}, 60_000);
afterAll(() => app?.close());

describe('publishing with a note', () => {
  it('keeps the trimmed note and the signed-in person with the version, and lists them', async () => {
    const published = await ops.request('POST', '/api/playbooks/noted/publish', { note: '  First cut: 3 days  ' });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version: 1, unchanged: false });

    const versions = await ops.request('GET', '/api/playbooks/noted/versions');
    expect(versions.body.items).toEqual([
      expect.objectContaining({ version: 1, note: 'First cut: 3 days', publishedBy: 'lead@acme.example' }),
    ]);
  });

  it('refuses a note over 500 characters and publishes nothing', async () => {
    await ops.request('PUT', '/api/playbooks/noted', { definition: definition(4) });
    const refused = await ops.request('POST', '/api/playbooks/noted/publish', { note: 'x'.repeat(501) });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/note/);
    expect((await ops.request('GET', '/api/playbooks/noted/versions')).body.items).toHaveLength(1);
    // The domain keeps the same bound for callers other than the API.
    const direct = await publishDraft(app.db, 'noted', undefined, { note: 'y'.repeat(501) }).catch((e: unknown) => e);
    expect(isDomainError(direct, 'invalid')).toBe(true);
  });

  it('answers an unchanged draft with the current version and keeps no note for it', async () => {
    await ops.request('PUT', '/api/playbooks/noted', { definition: definition(3) });
    const again = await ops.request('POST', '/api/playbooks/noted/publish', { note: 'Nothing new' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ version: 1, unchanged: true });
    const items = (await ops.request('GET', '/api/playbooks/noted/versions')).body.items;
    expect(items.map((v: { note: string }) => v.note)).toEqual(['First cut: 3 days']);
  });

  it('names a token as its publisher; a blank note is no note', async () => {
    await ci('PUT', '/api/playbooks/noted', { definition: definition(5) });
    expect((await ci('POST', '/api/playbooks/noted/publish', { note: '   ' })).body).toMatchObject({ version: 2 });
    const items = (await ci('GET', '/api/playbooks/noted/versions')).body.items as unknown[];
    expect(items[0]).toMatchObject({ version: 2, note: null, publishedBy: "token 'ci'" });
  });
});

describe('reading one version', () => {
  it('answers the definition as published, with its note and publisher', async () => {
    const v1 = await ops.request('GET', '/api/playbooks/noted/versions/1');
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      version: 1,
      note: 'First cut: 3 days',
      publishedBy: 'lead@acme.example',
      definition: definition(3),
    });
    expect(v1.body.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await ops.request('GET', '/api/playbooks/noted/versions/2')).body.definition).toEqual(definition(5));
  });

  it('answers 404 for a version never published and 400 for one that is not a number', async () => {
    const missing = await ops.request('GET', '/api/playbooks/noted/versions/3');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Version 3 of playbook noted was not found');
    expect((await ops.request('GET', '/api/playbooks/noted/versions/latest')).status).toBe(400);
    expect((await ops.request('GET', '/api/playbooks/nope/versions/1')).status).toBe(404);
  });
});
