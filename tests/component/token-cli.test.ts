import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../server/auth/tokens.js';
import { openDatabase } from '../../server/db/database.js';
import { freePort } from '../support/free-port.js';

// `npx stayflow token …` as a person runs it: the launcher, tsx, cli/main.ts, writing into the server's database.
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-token-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function stayflow(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // DATABASE_URL empty: a developer's .env cannot point the test at a real database (existing variables win).
    const child = spawn(process.execPath, [path.join(root, 'scripts/stayflow.mjs'), ...args], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: '', DATA_DIR: dataDir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('stayflow token', { timeout: 60_000 }, () => {
  it('creates a token in the server’s database, lists it and revokes it', async () => {
    const port = String(await freePort());
    const created = await stayflow(['token', 'create', '--name', 'product analytics', '--scope', 'events', '--json'], {
      PORT: port,
    });
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const { id, secret, scopes } = JSON.parse(created.stdout) as { id: string; secret: string; scopes: string[] };
    expect(scopes).toEqual(['events']);

    const database = await openDatabase({ dataDir });
    try {
      expect(await verifyToken(database.db, secret)).toMatchObject({ id, name: 'product analytics' });
    } finally {
      await database.close();
    }

    const listed = await stayflow(['token', 'list'], { PORT: port });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${id}  product analytics  scopes: events`);
    expect(listed.stdout).not.toContain(secret);

    const revoked = await stayflow(['token', 'revoke', id], { PORT: port });
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain('Revoked:');
  });

  it('refuses to open the embedded database while a server listens on PORT', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      const outcome = await stayflow(['token', 'list'], { PORT: String(port) });
      expect(outcome.status).toBe(1);
      expect(outcome.stderr).toContain('Stayflow is running');
      expect(outcome.stderr).toContain('DATABASE_URL');
    } finally {
      server.close();
    }
  });

  it.each([
    [['token', 'create', '--scope', 'events'], 'token create needs --name'],
    [['token', 'create', '--name', 'x', '--scope', 'everything'], "unknown scope 'everything'"],
    [['token', 'create', '--name', 'x'], 'token create needs --scope'],
    [['token', 'revoke', 'abc'], "'abc' is not a token id"],
    [['token', 'mint'], "unknown token action 'mint'"],
  ])('answers a usage error for %j', async (args, message) => {
    const outcome = await stayflow(args, { PORT: '1' });
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain(message);
  });
});
