import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../server/auth/tokens.js';
import { startAccessApp, type AccessApp } from '../support/access-app.js';

// `npx stayflow token …` and `stayflow user …` as a person runs them (the launcher, tsx, cli/main.ts) against a
// running API: through HTTP, so they work while the server holds its database. With nothing set up they use the
// server's local operator token (DATA_DIR/operator-token); STAYFLOW_TOKEN or the config file otherwise.
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-token-cli-'));
let app: AccessApp;

beforeAll(async () => {
  app = await startAccessApp({}, { operatorTokenDir: dataDir });
}, 60_000);
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function stayflow(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/stayflow.mjs'), ...args], {
      cwd: os.tmpdir(),
      env: {
        PATH: process.env.PATH,
        HOME: dataDir, // no developer's config file
        DATA_DIR: dataDir,
        STAYFLOW_URL: app.url,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('stayflow user and token, through the API', { timeout: 90_000 }, () => {
  it('keeps the operator token in a file only its owner reads', () => {
    expect(statSync(path.join(dataDir, 'operator-token')).mode & 0o777).toBe(0o600);
  });

  it('makes the first admin with nothing set up (the local operator token), who can then sign in', async () => {
    const created = await stayflow(
      ['user', 'create', '--email', 'First@Admin.example', '--role', 'admin', '--password-stdin', '--json'],
      {},
      'a long enough password\n',
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'first@admin.example', role: 'admin', canSignIn: true });
    const signIn = await fetch(`${app.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'first@admin.example', password: 'a long enough password' }),
    });
    expect(signIn.status).toBe(200);
  });

  it('creates a token, lists it without its secret, revokes it; the token works until then', async () => {
    const created = await stayflow(['token', 'create', '--name', 'analytics', '--scope', 'events', '--json']);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const { id, secret, scopes } = JSON.parse(created.stdout) as { id: string; secret: string; scopes: string[] };
    expect(scopes).toEqual(['events:write']);
    expect(await verifyToken(app.db, secret)).toMatchObject({ id, name: 'analytics' });

    const listed = await stayflow(['token', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${id}  analytics  scopes: events:write`);
    expect(listed.stdout).not.toContain(secret);

    const revoked = await stayflow(['token', 'revoke', id]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain('Revoked:');
    expect(await verifyToken(app.db, secret)).toBeUndefined();
  });

  it('uses STAYFLOW_TOKEN, then the config file; a token without the admin scope is refused (403, exit 1)', async () => {
    const made = JSON.parse(
      (await stayflow(['token', 'create', '--name', 'reader', '--scope', 'read', '--json'])).stdout,
    ) as { secret: string };
    const viaEnv = await stayflow(['token', 'list'], { STAYFLOW_TOKEN: made.secret });
    expect(viaEnv.status).toBe(1);
    expect(viaEnv.stderr).toContain("lacks the 'admin' scope (HTTP 403)");

    const config = path.join(dataDir, 'config.json');
    writeFileSync(config, JSON.stringify({ server: app.url, token: made.secret }), { mode: 0o644 });
    const loose = await stayflow(['token', 'list'], { STAYFLOW_CONFIG: config, STAYFLOW_URL: '' });
    expect(loose.status).toBe(2);
    expect(loose.stderr).toContain('others can read it: chmod 600');
    rmSync(config);
    writeFileSync(config, JSON.stringify({ server: app.url, token: made.secret }), { mode: 0o600 });
    const viaFile = await stayflow(['token', 'list'], { STAYFLOW_CONFIG: config, STAYFLOW_URL: '' });
    expect(viaFile.stderr).toContain("lacks the 'admin' scope (HTTP 403)");
  });

  it('without any credential, says how to give one (401, exit 1)', async () => {
    const outcome = await stayflow(['token', 'list'], { DATA_DIR: path.join(dataDir, 'elsewhere') });
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain('(HTTP 401); set STAYFLOW_TOKEN');
  });

  it.each([
    [['token', 'create', '--scope', 'events:write'], 'token create needs --name'],
    [['token', 'create', '--name', 'x', '--scope', 'everything'], "unknown scope 'everything'"],
    [['token', 'create', '--name', 'x'], 'token create needs --scope'],
    [['token', 'revoke', 'abc'], "'abc' is not a token id"],
    [['token', 'mint'], "unknown token action 'mint'"],
    [['user', 'create', '--email', 'a@b.example'], 'user create needs --role'],
  ])('answers a usage error for %j', async (args, message) => {
    const outcome = await stayflow(args);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain(message);
  });
});
