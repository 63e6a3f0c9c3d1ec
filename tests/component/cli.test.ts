import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../engine/errors.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import { simulate } from '../../engine/simulator/simulate.js';
import { freePort } from '../support/free-port.js';

// The real CLI, as `npx stayflow` runs it: the launcher, tsx, cli/main.ts, in a child process.
const root = fileURLToPath(new URL('../..', import.meta.url));
const GOOD = 'playbooks/examples/welcome-and-checkin.json';
const BAD = 'tests/fixtures/invalid-playbook.json';
// Without STAYFLOW_URL, so a developer's setting cannot point these tests at a real server.
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function stayflow(args: string[], cwd = root): Outcome {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/stayflow.mjs'), ...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** For the tests with a server in this process: spawnSync would block the event loop the server answers on. */
function stayflowAsync(args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/stayflow.mjs', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

function issuesOf(file: string): Issue[] {
  const result = compilePlaybook(JSON.parse(readFileSync(path.join(root, file), 'utf8')));
  if (result.ok) throw new Error(`${file} compiles, but the tests need it broken`);
  return result.issues;
}

function compiledGood() {
  const result = compilePlaybook(JSON.parse(readFileSync(path.join(root, GOOD), 'utf8')));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.playbook;
}

function tempFile(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'stayflow-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('stayflow validate', { timeout: 60_000 }, () => {
  it('accepts the example playbook: exit 0 and a ✓ line with its name and step count', () => {
    const { status, stdout } = stayflow(['validate', GOOD]);
    expect(status).toBe(0);
    expect(lines(stdout)).toEqual([`✓ ${GOOD} — Welcome and day-4 check-in (7 steps)`]);
  });

  it('the invalid fixture is broken in the ways it promises', () => {
    const issues = issuesOf(BAD);
    expect(issues.map((i) => i.code)).toEqual(expect.arrayContaining(['dangling_edge', 'unreachable']));
    expect(issues).toContainEqual(
      expect.objectContaining({
        nodeId: 'discount',
        code: 'unconnected_handle',
        message: expect.stringContaining("'timeout'"),
      }),
    );
  });

  it('rejects the invalid fixture: exit 1 and one line per issue with its node id, path and message', () => {
    const { status, stdout } = stayflow(['validate', BAD]);
    expect(status).toBe(1);
    const expected = issuesOf(BAD).map(
      (issue) => `${BAD}: ${issue.nodeId !== undefined ? `[${issue.nodeId}] ` : ''}${issue.path}: ${issue.message}`,
    );
    expect(lines(stdout)).toEqual(expected);
    expect(stdout).toContain(
      `${BAD}: [offerMail] edges[3].target: 'Discount offer' leads to a step 'followUp' that does not exist`,
    );
    expect(stdout).toContain(`${BAD}: [orphan] nodes[3]: Step 'Tell the team' can never be reached from the start`);
    expect(stdout).toContain(
      `${BAD}: [discount] nodes[1]: 'Offer a discount' has no connection for its 'timeout' outcome`,
    );
  });

  it('checks every file it is given: one bad file fails the run, and both are reported', () => {
    const { status, stdout } = stayflow(['validate', GOOD, BAD]);
    expect(status).toBe(1);
    const out = lines(stdout);
    expect(out[0]).toBe(`✓ ${GOOD} — Welcome and day-4 check-in (7 steps)`);
    expect(out.slice(1)).toHaveLength(issuesOf(BAD).length);
    expect(out.slice(1).every((line) => line.startsWith(`${BAD}: [`))).toBe(true);
  });

  it('says on one line when a file is not JSON or cannot be read, and still checks the others', () => {
    const notJson = tempFile('notes.json', 'hello\nworld\n');
    const missing = path.join(os.tmpdir(), 'stayflow-cli-no-such-file.json');
    const { status, stdout, stderr } = stayflow(['validate', notJson, missing, GOOD]);
    expect(status).toBe(1);
    const out = lines(stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(new RegExp(`^${notJson.replace(/[\\.]/g, '\\$&')}: not valid JSON \\(.+\\)$`));
    expect(out[1]).toBe(`${missing}: file not found`);
    expect(out[2]).toBe(`✓ ${GOOD} — Welcome and day-4 check-in (7 steps)`);
    expect(stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack trace
  });

  it('--json reports [{ file, ok, issues }]', () => {
    const { status, stdout } = stayflow(['validate', '--json', GOOD, BAD]);
    expect(status).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      { file: GOOD, ok: true, issues: [] },
      { file: BAD, ok: false, issues: issuesOf(BAD) },
    ]);
  });

  it('runs from any directory through the launcher’s absolute path', () => {
    const { status, stdout } = stayflow(['validate', path.join(root, GOOD)], os.tmpdir());
    expect(status).toBe(0);
    expect(stdout).toContain('— Welcome and day-4 check-in (7 steps)');
  });
});

describe('stayflow simulate', { timeout: 60_000 }, () => {
  // Thursday 26 Nov 2026, 19:00 in Madrid: the welcome goes at once, the day-4 email waits for Tuesday 09:00.
  const start = '2026-11-26T18:00:00Z';
  const account = { timeZone: 'Europe/Madrid', fields: { segment: 'high-touch' } };

  it('prints a table with the welcome on day 0 and the check-in on day 4, in the account’s time zone', () => {
    const { status, stdout } = stayflow(['simulate', GOOD, '--start', start, '--account', JSON.stringify(account)]);
    expect(status).toBe(0);
    expect(lines(stdout)[0]).toBe(
      'Welcome and day-4 check-in (welcome-and-checkin) for account sample-account; times in Europe/Madrid',
    );
    const rows = lines(stdout).map((line) => line.split(/ {2,}/));
    const header = rows.findIndex((row) => row[0] === 'day');
    expect(rows[header]).toEqual(['day', 'at', 'step', 'what', 'why']);
    const row = (step: string) => rows.find((cells) => cells[2] === step);
    expect(row('welcome')).toEqual([
      '0',
      'Thu 26 Nov 19:00',
      'welcome',
      'Email "Welcome" (welcome) to primaryContact',
      'sent immediately (no send window)',
    ]);
    expect(row('checkin')?.slice(0, 4)).toEqual([
      '4',
      'Tue 01 Dec 09:00',
      'checkin',
      'Email "Day 4 check-in" (onboarding-day4) to primaryContact',
    ]);
    expect(row('checkin')?.[4]).toContain('outside the send window');
    expect(row('setupCall')?.[0]).toBe('4'); // high touch: the CSM call
  });

  it('--json prints exactly the timeline simulate() returns for the same inputs', async () => {
    const { status, stdout } = stayflow([
      'simulate',
      GOOD,
      '--json',
      '--start',
      start,
      '--account',
      JSON.stringify(account),
    ]);
    expect(status).toBe(0);
    const expected = await simulate({
      playbook: compiledGood(),
      account: { id: 'sample-account', ...account },
      startAt: start,
    });
    expect(JSON.parse(stdout)).toEqual(expected.timeline);
  });

  it('reads --account from @file and merges it over the sample account', async () => {
    const file = tempFile('account.json', JSON.stringify({ fields: { segment: 'tech-touch' } }));
    const { status, stdout } = stayflow(['simulate', GOOD, '--json', '--start', start, '--account', `@${file}`]);
    expect(status).toBe(0);
    const expected = await simulate({
      playbook: compiledGood(),
      account: { id: 'sample-account', timeZone: 'UTC', fields: { segment: 'tech-touch' } },
      startAt: start,
    });
    const timeline = JSON.parse(stdout) as { nodeId: string }[];
    expect(timeline).toEqual(expected.timeline);
    expect(timeline.map((e) => e.nodeId)).not.toContain('setupCall');
  });

  it('bad --account JSON: one clear line, exit 2, nothing simulated', () => {
    const { status, stdout, stderr } = stayflow(['simulate', GOOD, '--account', '{segment: high-touch}']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)[0]).toMatch(/^stayflow: --account: not valid JSON \(.+\)$/);
  });

  it('an unknown time zone in --account is a usage error too', () => {
    const { status, stderr } = stayflow(['simulate', GOOD, '--account', '{"timeZone":"Mars/Olympus"}']);
    expect(status).toBe(2);
    expect(stderr).toContain('timeZone: must be an IANA time zone');
  });

  it('an invalid playbook is not simulated: its issues, exit 1', () => {
    const { status, stdout, stderr } = stayflow(['simulate', BAD]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(issuesOf(BAD).length);
    expect(stderr).toContain(`${BAD}: [orphan] nodes[3]: Step 'Tell the team' can never be reached from the start`);
  });
});

describe('stayflow publish and enroll', { timeout: 60_000 }, () => {
  it('publish says it cannot reach the server when nothing listens, exit 1', async () => {
    const port = await freePort();
    const { status, stderr } = stayflow(['publish', GOOD, '--server', `http://127.0.0.1:${port}`]);
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      `stayflow: cannot reach Stayflow at http://127.0.0.1:${port} (is \`npm start\` running?)`,
    );
  });

  it('publish updates the draft when the key exists, then prints the server’s refusal with its issues', async () => {
    const calls: string[] = [];
    const issue = {
      nodeId: 'checkin',
      path: 'nodes[3].config.template',
      code: 'unknown_template',
      message: 'No template',
    };
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const definition = (JSON.parse(body || '{}') as { definition?: { key?: string } }).definition;
        calls.push(`${req.method} ${req.url} ${definition?.key ?? ''}`.trim());
        const [status, answer] =
          req.method === 'POST' && req.url === '/api/playbooks'
            ? [409, { error: { code: 'conflict', message: 'exists' } }]
            : req.method === 'PUT'
              ? [200, { playbook: {}, issues: [] }]
              : [422, { error: { code: 'invalid_playbook', message: 'The draft has 1 issue', issues: [issue] } }];
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { status, stdout, stderr } = await stayflowAsync(['publish', GOOD, '--server', `http://127.0.0.1:${port}`]);
      expect(calls).toEqual([
        'POST /api/playbooks welcome-and-checkin',
        'PUT /api/playbooks/welcome-and-checkin welcome-and-checkin',
        'POST /api/playbooks/welcome-and-checkin/publish',
      ]);
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(lines(stderr)).toEqual([
        'stayflow: publishing welcome-and-checkin failed: The draft has 1 issue (HTTP 422)',
        `${GOOD}: [checkin] nodes[3].config.template: No template`,
      ]);
    } finally {
      server.close();
    }
  });

  it('enroll posts an inline account (not stored, a playbook without email) and prints the run it started', async () => {
    let received: unknown;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        // The CLI first looks the account up (not stored) and reads the published version (no email step).
        const [status, answer]: [number, unknown] =
          req.method === 'GET' && req.url?.startsWith('/api/accounts/by-external-id/')
            ? [404, { error: { code: 'not_found', message: 'no such account' } }]
            : req.method === 'GET' && req.url === '/api/playbooks/welcome-and-checkin'
              ? [200, { playbook: { currentVersion: 2 }, issues: [] }]
              : req.method === 'GET'
                ? [200, { version: 2, definition: { nodes: [{ id: 'start', type: 'trigger' }] } }]
                : [201, { workflowId: 'wf-acme', runId: 'run-1', version: 2 }];
        if (req.method === 'POST') received = { method: req.method, url: req.url, body: JSON.parse(body) as unknown };
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const account = { id: 'acme', timeZone: 'Europe/Madrid', fields: { segment: 'high-touch' } };
    try {
      const { status, stdout } = await stayflowAsync([
        'enroll',
        'welcome-and-checkin',
        '--account',
        JSON.stringify(account),
        '--server',
        `http://127.0.0.1:${port}`,
      ]);
      expect(received).toEqual({
        method: 'POST',
        url: '/api/playbooks/welcome-and-checkin/enrollments',
        body: { account },
      });
      expect(status).toBe(0);
      expect(stdout.trim()).toBe(
        '✓ acme (not stored) enrolled in welcome-and-checkin version 2: workflow wf-acme (run run-1)',
      );
    } finally {
      server.close();
    }
  });
});

describe('stayflow usage', { timeout: 60_000 }, () => {
  it('--help prints the usage, exit 0', () => {
    const { status, stdout } = stayflow(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: stayflow <command>/);
    for (const command of ['validate', 'simulate', 'publish', 'enroll']) expect(stdout).toContain(`  ${command} `);
  });

  it('an unknown command prints the usage, exit 2', () => {
    const { status, stdout, stderr } = stayflow(['frobnicate']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown command 'frobnicate'");
    expect(stderr).toContain('Usage: stayflow <command>');
  });
});
