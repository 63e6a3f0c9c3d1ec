import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isListening } from '../../server/temporal/dev-server.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { copyContext, readDockerfile, type Stage } from '../support/dockerfile.js';
import { freePort } from '../support/free-port.js';
import { until } from '../support/until.js';
import { asAdmin } from '../support/api.js';
import { TEST_ADMIN_TOKEN } from '../support/test-config.js';

// The Docker image, replayed without a container runtime (there is none where these tests run): the Dockerfile's
// build stage (`npm run build` in a copy of the build context), its runtime stage's COPY lines into a folder of their
// own, and its CMD started there against the embedded stack (Temporal dev server, PGlite under .data, SMTP catcher),
// then stopped the way `docker stop` does. Docker's `npm ci` is stood in for by the repository's node_modules, so
// the runtime's production-only install is checked statically: the built code imports production dependencies only.

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const stages = readDockerfile(path.join(root, 'Dockerfile'));
const runtime = stages.at(-1)!;

const work = mkdtempSync(path.join(os.tmpdir(), 'stayflow-image-'));
const buildDir = path.join(work, 'build');
const appDir = path.join(work, 'app');
const links = [path.join(buildDir, 'node_modules'), path.join(appDir, 'node_modules')];

let server: ChildProcess | undefined;
let stdout = '';
let apiUrl = '';
let temporalPort = 0;

/** A command's exit status and its output (stdout and stderr together), without blocking the test worker. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, output }));
  });
}

/** The stage the runtime copies its built files from. */
function buildStage(): Stage {
  const names = new Set(runtime.copies.map((copy) => copy.from).filter((from) => from !== undefined));
  expect([...names], 'the runtime stage copies from exactly one build stage').toHaveLength(1);
  const stage = stages.find((candidate) => candidate.name === [...names][0]);
  if (!stage) throw new Error(`Dockerfile: no stage named ${[...names][0]}`);
  return stage;
}

/** The runtime stage's COPY lines, into appDir (its WORKDIR), from the build stage's files or the context. */
function copyRuntimeFiles(build: Stage): void {
  for (const copy of runtime.copies) {
    const at = path.join(appDir, path.posix.relative(runtime.workdir, copy.dest));
    for (const source of copy.sources) {
      const from = copy.from
        ? path.join(buildDir, path.posix.relative(build.workdir, source))
        : path.join(buildDir, source);
      expect(existsSync(from), `COPY ${copy.from ? `--from=${copy.from} ` : ''}${source}: not there`).toBe(true);
      const to = copy.sources.length > 1 ? path.join(at, path.basename(source)) : at;
      mkdirSync(path.dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true });
    }
  }
}

beforeAll(async () => {
  const temporalCli = temporalCliPath();
  if (!temporalCli) throw new Error('the temporal CLI is not provisioned (run: bash scripts/provision.sh temporal)');
  const build = buildStage();
  expect(build.runs).toContain('npm run build');
  expect(runtime.runs.some((line) => line.includes('npm ci --omit=dev'))).toBe(true);

  copyContext(root, buildDir);
  symlinkSync(path.join(root, 'node_modules'), links[0]!, 'dir');
  // A clean environment, as a `docker build` has: no NODE_ENV=test from vitest reaching vite.
  const built = await run('npm', ['run', 'build'], buildDir, { PATH: process.env.PATH, HOME: process.env.HOME });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.output.slice(-4000)}`);

  mkdirSync(appDir);
  copyRuntimeFiles(build);
  symlinkSync(path.join(root, 'node_modules'), links[1]!, 'dir');
  mkdirSync(path.join(appDir, '.data'), { recursive: true });

  const [program, ...args] = runtime.cmd ?? [];
  expect(program, 'CMD runs node').toBe('node');
  const port = await freePort();
  temporalPort = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, args, {
    cwd: appDir,
    // Its own process group: if it ever hangs, afterAll can stop it and its Temporal child together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...runtime.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(await freePort()),
      SMTP_CATCHER_PORT: '0',
      TEMPORAL_CLI_PATH: temporalCli,
      TEMPORAL_TASK_QUEUE: `stayflow-image-${process.pid}`,
      LOG_LEVEL: 'info',
      STAYFLOW_BOOTSTRAP_TOKEN: TEST_ADMIN_TOKEN,
    },
  });
  let stderr = '';
  server.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await until(
    'the built server to say it is running',
    async () => {
      if (server!.exitCode !== null) throw new Error(`the server exited (${server!.exitCode}):\n${stderr}${stdout}`);
      return stdout.includes('is running') ? true : undefined;
    },
    120_000,
  );
}, 400_000);

afterAll(async () => {
  const running = server;
  if (running && running.exitCode === null && running.signalCode === null) {
    running.kill('SIGTERM');
    const stopped = await until(
      'the server to stop',
      async () => (running.exitCode !== null ? true : undefined),
      30_000,
    )
      .then(() => true)
      .catch(() => false);
    // Still up after 30 s: end its whole process group (the Temporal dev server is in it), or the port stays taken.
    if (!stopped && running.pid) process.kill(-running.pid, 'SIGKILL');
  }
  for (const link of links) rmSync(link, { force: true });
  rmSync(work, { recursive: true, force: true });
}, 60_000);

// As the server's admin: its STAYFLOW_BOOTSTRAP_TOKEN (below).
const api = (route: string, init: RequestInit = {}) =>
  fetch(`${apiUrl}${route}`, { ...init, headers: asAdmin(init.headers as Record<string, string>) });

describe('the image, replayed: npm run build, then the CMD in a folder with the runtime stage files only', () => {
  it('runs built JavaScript as a non-root user, from a prebuilt workflow bundle', () => {
    expect(runtime.cmd?.join(' ')).toMatch(/ dist\/\S+\.js$/);
    expect(runtime.user).toBeDefined();
    expect(runtime.user).not.toMatch(/^(root|0)(:|$)/);
    const polling = stdout
      .split('\n')
      .slice(0, -1) // the last line may still be being written
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; workflows?: string })
      .find((entry) => entry.msg === 'worker polling');
    expect(polling?.workflows).toBe(`prebuilt ${path.join(appDir, 'dist', 'workflow-bundle.js')}`);
  });

  it('answers /api/health with every component up', async () => {
    const res = await api('/api/health');
    expect(res.status).toBe(200);
    const health = (await res.json()) as {
      status: string;
      version: string;
      components: Record<string, { state: string }>;
    };
    expect(health.status).toBe('ok');
    expect(health.version).toBe(pkg.version);
    expect(Object.keys(health.components).sort()).toEqual(['database', 'smtp', 'temporal', 'worker']);
    for (const [name, component] of Object.entries(health.components)) expect(component.state, name).toBe('up');
    // The embedded database lives where the image keeps it writable for its user.
    expect(existsSync(path.join(appDir, '.data', 'pglite'))).toBe(true);
  });

  it('runs a workflow whose email reaches the SMTP catcher', async () => {
    const res = await api('/api/system/stack-check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'image@acme.example' }),
    });
    expect(res.status).toBe(202);
    const { workflowId } = (await res.json()) as { workflowId: string };
    const subjects = await until(
      'the stack-check email',
      async () => {
        const list = (await (await api('/api/outbox?to=image@acme.example')).json()) as {
          items: { subject: string }[];
        };
        return list.items.length > 0 ? list.items.map((item) => item.subject) : undefined;
      },
      60_000,
    );
    expect(subjects).toEqual([`Stayflow stack check ${workflowId}`]);
  });

  it('ships the seed playbooks and serves the built web app', async () => {
    const { items } = (await (await api('/api/playbooks')).json()) as { items: { key: string }[] };
    const seeds = readdirSync(path.join(root, 'playbooks', 'seed')).filter((name) => name.endsWith('.json'));
    expect(seeds.length).toBeGreaterThan(0);
    expect(items.map((item) => item.key)).toEqual(expect.arrayContaining(seeds.map((name) => name.slice(0, -5))));
    const page = await api('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(path.join(appDir, 'editor', 'dist', 'index.html'), 'utf8'));
  });

  it('imports only production dependencies (the image installs no others)', () => {
    const builtins = new Set(builtinModules);
    const files = readdirSync(path.join(appDir, 'dist'), { recursive: true, encoding: 'utf8' }).filter(
      (name) => name.endsWith('.js') && name !== 'workflow-bundle.js',
    );
    expect(files).toContain(path.join('server', 'main.js'));
    const outside = new Set<string>();
    for (const name of files) {
      const code = readFileSync(path.join(appDir, 'dist', name), 'utf8');
      // TypeScript's own scanner: static imports, re-exports and import() calls, never text in comments or strings.
      for (const { fileName: specifier } of ts.preProcessFile(code, true, true).importedFiles) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
        const parts = specifier.split('/');
        const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
        if (!(packageName in pkg.dependencies)) outside.add(`${packageName} (dist/${name})`);
      }
    }
    expect([...outside]).toEqual([]);
  });

  it('runs the stayflow CLI from the built files (no sources, no esbuild in the image)', async () => {
    expect(existsSync(path.join(appDir, 'cli'))).toBe(false);
    const result = await run(process.execPath, ['scripts/stayflow.mjs', '--version'], appDir, {
      PATH: process.env.PATH,
    });
    expect(result).toEqual({ status: 0, output: `${pkg.version}\n` });
  });

  it('stops cleanly on SIGTERM, as `docker stop` sends it, taking the Temporal dev server with it', async () => {
    server!.kill('SIGTERM');
    const code = await until('the server to exit', async () => server!.exitCode ?? undefined, 30_000);
    expect(code).toBe(0);
    expect(stdout).toContain('SIGTERM: stopping Stayflow');
    expect(await isListening(temporalPort)).toBe(false);
  });
});
