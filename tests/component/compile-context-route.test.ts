import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareField } from '../../server/accounts/field-definitions.js';
import { createToken } from '../../server/auth/tokens.js';
import { createUser } from '../../server/auth/users.js';
import { compileContext } from '../../server/playbooks/compile-context.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// GET /api/compile-context answers what the server compiles playbooks with — the editor checks drafts against it as
// they are drawn — to those who design playbooks (and read tokens); a CSM or a viewer is refused.

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;

beforeAll(async () => {
  app = await startAccessApp();
  await installShippedTemplates(app.db);
  await declareField(app.db, { name: 'seats', type: 'number' });
  await createUser(app.db, { email: 'ops@yourco.example', role: 'ops', password: PASSWORD });
  await createUser(app.db, { email: 'vera@yourco.example', role: 'viewer', password: PASSWORD });
  const lena = await createUser(app.db, { email: 'lena@yourco.example', name: 'Lena Ortiz', role: 'manager' });
  await createUser(app.db, {
    email: 'ana@yourco.example',
    role: 'csm',
    managerId: lena.id,
    password: PASSWORD,
  });
  await createUser(app.db, { email: 'ben@yourco.example', role: 'csm', managerId: lena.id });
  await createUser(app.db, { email: 'max@yourco.example', role: 'manager' });
}, 120_000);
afterAll(() => app?.close());

const signedIn = async (email: string) => {
  const session = new BrowserSession(app);
  expect((await session.signIn(email, PASSWORD)).status).toBe(200);
  return session;
};

describe('GET /api/compile-context', () => {
  it('answers a designer exactly what the server compiles with: templates, custom fields, CSMs and teams', async () => {
    const res = await (await signedIn('ops@yourco.example')).request('GET', '/api/compile-context');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await compileContext(app.db));
    // What that is, in this install: the people assignOwner may name, each team with its CSMs (max leads nobody).
    expect(res.body.people).toEqual({
      csms: ['ana@yourco.example', 'ben@yourco.example', 'lena@yourco.example', 'max@yourco.example'],
      teams: { 'lena@yourco.example': ['ana@yourco.example', 'ben@yourco.example'], 'max@yourco.example': [] },
    });
    expect(res.body.accountFields).toEqual({ seats: 'number' });
    expect(Object.keys(res.body.templates).length).toBeGreaterThan(0);
  });

  it('refuses a CSM and a viewer, who may not design playbooks', async () => {
    for (const email of ['ana@yourco.example', 'vera@yourco.example']) {
      const res = await (await signedIn(email)).request('GET', '/api/compile-context');
      expect(res.status, email).toBe(403);
      expect(JSON.stringify(res.body), email).not.toContain('ben@yourco.example');
    }
    expect((await new BrowserSession(app).request('GET', '/api/compile-context')).status).toBe(401);
  });

  it('answers a token with the read scope, as the CLI would call it', async () => {
    const { secret } = await createToken(app.db, { name: 'ci', scopes: ['read'] }, app.clock.now);
    const res = await new BrowserSession(app).request('GET', '/api/compile-context', undefined, {
      authorization: `Bearer ${secret}`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await compileContext(app.db));
  });
});
