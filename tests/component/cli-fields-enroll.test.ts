import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The CLI with playbooks that use custom account fields (validated against a catalogue file, or left for the
// server when there is none), and `stayflow enroll` by external id — with a clear refusal where an inline account
// that is not stored would have every email skipped.

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

function stayflow(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/stayflow.mjs'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function stayflowAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/stayflow.mjs', ...args], { cwd: root, env });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-cli-fields-'));
function file(name: string, content: unknown): string {
  const at = path.join(dir, name);
  writeFileSync(at, typeof content === 'string' ? content : JSON.stringify(content));
  return at;
}

/** A playbook that branches on a custom field (seats) and waits until a custom date (contractEnd − 10 days). */
const seatsPlaybook = file('seats.json', {
  schemaVersion: 1,
  key: 'big-teams',
  name: 'Big teams',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'once' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    {
      id: 'size',
      type: 'branch',
      label: 'More than 50 seats?',
      config: { conditions: [{ handle: 'big', when: { field: 'account.seats', op: 'gt', value: 50 } }] },
    },
    {
      id: 'beforeEnd',
      type: 'wait',
      label: 'Until 10 days before the contract ends',
      config: { kind: 'untilDate', field: 'contractEnd', offsetDays: -10 },
    },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'size' },
    { id: 'e2', source: 'size', sourceHandle: 'big', target: 'beforeEnd' },
    { id: 'e3', source: 'size', sourceHandle: 'else', target: 'done' },
    { id: 'e4', source: 'beforeEnd', target: 'done' },
  ],
});

describe('stayflow validate with custom fields', { timeout: 60_000 }, () => {
  it('without a catalogue: passes, and says which custom fields it could not check', () => {
    const { status, stdout, stderr } = stayflow(['validate', seatsPlaybook]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines(stdout)).toEqual([
      `✓ ${seatsPlaybook} — Big teams (4 steps)`,
      '  custom fields not checked (no catalogue): seats, contractEnd — pass --fields <file> or sign in to a server; publishing checks them',
    ]);
  });

  it('--fields <file> (as GET /api/account-fields answers, or a plain map): checked, ✓ with nothing unchecked', () => {
    const api = file('fields-api.json', {
      builtIn: [],
      custom: [
        { name: 'seats', type: 'number', label: 'Seats', createdAt: '2026-01-01T00:00:00Z' },
        { name: 'contractEnd', type: 'date', label: 'Contract end', createdAt: '2026-01-01T00:00:00Z' },
      ],
    });
    const plain = file('fields-plain.json', { seats: 'number', contractEnd: 'date' });
    for (const catalogue of [api, plain]) {
      const { status, stdout } = stayflow(['validate', seatsPlaybook, '--fields', catalogue]);
      expect(status).toBe(0);
      expect(lines(stdout)).toEqual([`✓ ${seatsPlaybook} — Big teams (4 steps)`]);
    }
  });

  it('--fields catches what the catalogue says is wrong: a missing field, a field of the wrong type', () => {
    const missing = file('fields-missing.json', { seats: 'number' });
    const noEnd = stayflow(['validate', seatsPlaybook, '--fields', missing]);
    expect(noEnd.status).toBe(1);
    expect(noEnd.stdout).toContain("accounts have no field 'contractEnd'");
    const wrongType = file('fields-wrong.json', { seats: 'number', contractEnd: 'string' });
    const notADate = stayflow(['validate', seatsPlaybook, '--fields', wrongType]);
    expect(notADate.status).toBe(1);
    expect(notADate.stdout).toContain('contractEnd');
  });

  it('a --fields file that is not a catalogue is a usage error (exit 2), with what it should hold', () => {
    const bad = file('fields-bad.json', { seats: 'integer' });
    const { status, stderr } = stayflow(['validate', seatsPlaybook, '--fields', bad]);
    expect(status).toBe(2);
    expect(stderr).toContain('not a field catalogue');
  });
});

/** A stand-in server that records what the CLI asked; answers as the API does for the routes enroll uses. */
async function withServer(
  stored: Record<string, string>,
  emailSteps: string[],
  test: (url: string, calls: string[]) => Promise<void>,
) {
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls.push(`${req.method} ${req.url}${body ? ` ${body}` : ''}`);
      const external = /^\/api\/accounts\/by-external-id\/(.+)$/.exec(req.url ?? '')?.[1];
      const reply = (status: number, answer: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      if (external !== undefined) {
        const id = stored[decodeURIComponent(external)];
        return id ? reply(200, { id }) : reply(404, { error: { code: 'not_found', message: 'no such account' } });
      }
      if (req.method === 'GET' && req.url === '/api/playbooks/onboarding-30d')
        return reply(200, { playbook: { currentVersion: 1 }, issues: [] });
      if (req.method === 'GET' && req.url === '/api/playbooks/onboarding-30d/versions/1') {
        const nodes = [
          { id: 'start', type: 'trigger', label: 'Start' },
          ...emailSteps.map((label, i) => ({ id: `e${i}`, type: 'email', label })),
        ];
        return reply(200, { version: 1, definition: { nodes } });
      }
      if (req.method === 'POST') return reply(201, { workflowId: 'wf-1', runId: 'run-1', version: 1 });
      return reply(404, { error: { code: 'not_found', message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls);
  } finally {
    server.close();
  }
}

describe('stayflow enroll', { timeout: 60_000 }, () => {
  it('--account-id enrolls a stored account by its external id', async () => {
    await withServer({}, ['Welcome'], async (url, calls) => {
      const { status, stdout } = await stayflowAsync([
        'enroll',
        'onboarding-30d',
        '--account-id',
        'acme-001',
        '--server',
        url,
      ]);
      expect(calls).toEqual(['POST /api/playbooks/onboarding-30d/enrollments {"externalId":"acme-001"}']);
      expect(status).toBe(0);
      expect(stdout.trim()).toBe('✓ account acme-001 enrolled in onboarding-30d version 1: workflow wf-1 (run run-1)');
    });
  });

  it('refuses an inline account that is not stored when the playbook sends email: exit 1, why, and nothing enrolled', async () => {
    await withServer({}, ['Welcome', 'Day 4 check-in'], async (url, calls) => {
      const account = JSON.stringify({ id: 'cyberdyne', timeZone: 'Europe/Madrid', fields: {} });
      const { status, stdout, stderr } = await stayflowAsync([
        'enroll',
        'onboarding-30d',
        '--account',
        account,
        '--server',
        url,
      ]);
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain(
        "not enrolled: account 'cyberdyne' is not stored, so every email of onboarding-30d would be skipped (Welcome, Day 4 check-in: no contact to send to)",
      );
      expect(stderr).toContain('stayflow enroll onboarding-30d --account-id <external id>');
      expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
    });
  });

  it('an inline account whose id is a stored external id is enrolled as the stored account', async () => {
    const stored = { 'acme-001': '4f6c1a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f' };
    await withServer(stored, ['Welcome'], async (url, calls) => {
      const account = JSON.stringify({ id: 'acme-001', timeZone: 'Europe/Madrid' });
      const { status } = await stayflowAsync(['enroll', 'onboarding-30d', '--account', account, '--server', url]);
      expect(status).toBe(0);
      expect(calls.at(-1)).toBe(
        `POST /api/playbooks/onboarding-30d/enrollments {"accountId":"4f6c1a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f"}`,
      );
    });
  });

  it('--account-id and --account together, or neither, is a usage error (exit 2)', () => {
    expect(stayflow(['enroll', 'onboarding-30d']).status).toBe(2);
    const both = stayflow([
      'enroll',
      'onboarding-30d',
      '--account-id',
      'a',
      '--account',
      '{"id":"a","timeZone":"UTC"}',
    ]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('not both');
  });
});
