import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccess } from '../../server/auth/bootstrap.js';
import { startAccessApp, type AccessApp } from '../support/access-app.js';

// PostgreSQL text cannot hold U+0000. Under fuzzing, a NUL in a string or a query parameter answered 500 on 16+
// endpoints. It is refused once, at the edge, with a 400 that says what and where, and nothing is written.

const TOKEN = 'sf_nul-tests-0123456789-abcdefghijklmnopqrstuvwxyz';
let app: AccessApp;
const call = (method: string, path: string, body?: string, type = 'application/json') =>
  fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': type }) },
    body,
  });

beforeAll(async () => {
  app = await startAccessApp();
  await bootstrapAccess(app.db, { STAYFLOW_BOOTSTRAP_TOKEN: TOKEN }, pino({ level: 'silent' }));
}, 60_000);
afterAll(() => app.close());

describe('a NUL character anywhere in a request', () => {
  it('is a 400 naming where, for JSON strings and keys, and nothing is stored', async () => {
    const named = await call('POST', '/api/accounts', JSON.stringify({ externalId: 'nul-1', name: 'Acme\u0000 S.A.' }));
    expect(named.status).toBe(400);
    const problem = (await named.json()) as { error: { code: string; message: string } };
    expect(problem.error.code).toBe('invalid_character');
    expect(problem.error.message).toMatch(/^name: contains a NUL character/);

    const key = await call(
      'POST',
      '/api/accounts',
      JSON.stringify({ externalId: 'nul-2', name: 'A', custom: { 'x\u0000': 1 } }),
    );
    expect(key.status).toBe(400);
    expect((await call('GET', '/api/accounts/by-external-id/nul-1')).status).toBe(404);
  });

  it('is a 400 in a path or a query parameter, raw or encoded', async () => {
    for (const path of [
      '/api/accounts?q=a%00b',
      '/api/runs?playbook=a%00b',
      '/api/playbooks/a%00b',
      '/api/accounts/%00',
    ]) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(400);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('invalid_character');
    }
  });

  it('in a CSV upload, says the file is not UTF-8 text and imports nothing', async () => {
    const utf16 = Buffer.from('external_id,name\nnul-3,Acme\n', 'utf16le');
    const answer = await fetch(`${app.url}/api/accounts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
      body: utf16,
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/NUL bytes.*UTF-16/);
    expect((await call('GET', '/api/accounts/by-external-id/nul-3')).status).toBe(404);
  });
});
