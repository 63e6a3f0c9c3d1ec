import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/free-port.js';
import { until } from '../support/until.js';

// `npm start` as a user runs it — `node scripts/start.mjs`, which starts the server, which starts the embedded
// Temporal dev server — in a process group of its own, so a test can kill -9 the whole tree at once, as a power
// cut or the OOM killer would, and start it again with the same one command. With STAYFLOW_ROLE=worker (or api) in
// `env` it is one part of the split deployment (TEMPORAL_ADDRESS and DATABASE_URL then name shared servers): the
// same command starts a worker alone, which serves no HTTP, so it counts as up once it prints that it is running.

export interface StayflowProcess {
  url: string;
  token: string;
  /** Starts the tree (again), and resolves when /api/health answers 200. */
  start(): Promise<void>;
  /** kill -9 of every process in the tree's group. */
  killHard(): void;
  /** SIGTERM, then waits for the launcher to exit. */
  stop(): Promise<void>;
  /** Each start's output: .data/test/faults/<name>-<n>.log. */
  logs: string[];
}

export function stayflowProcess(name: string, env: Record<string, string>): StayflowProcess {
  const workerOnly = env.STAYFLOW_ROLE === 'worker';
  const logDir = path.join('.data', 'test', 'faults');
  mkdirSync(logDir, { recursive: true });
  const url = `http://127.0.0.1:${env.PORT}`;
  let child: ChildProcess | undefined;
  const self: StayflowProcess = {
    url,
    token: env.STAYFLOW_BOOTSTRAP_TOKEN ?? '',
    logs: [],
    async start() {
      const log = path.join(logDir, `${name}-${self.logs.length + 1}.log`);
      self.logs.push(log);
      const out = createWriteStream(log);
      child = spawn(process.execPath, ['scripts/start.mjs'], {
        detached: true,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.pipe(out);
      child.stderr!.pipe(out);
      let printed = '';
      child.stdout!.on('data', (chunk: Buffer) => void (printed += chunk.toString('utf8')));
      const started = child;
      await until(
        workerOnly ? `the worker to start (log: ${log})` : `Stayflow to answer on ${url} (log: ${log})`,
        async () => {
          if (started.exitCode !== null) throw new Error(`npm start exited with ${started.exitCode}; see ${log}`);
          // server/main.ts prints this once the worker polls (whatever LOG_LEVEL says).
          if (workerOnly) return printed.includes('is running (worker)') ? true : undefined;
          const res = await fetch(`${url}/api/health`).catch(() => undefined);
          return res?.status === 200 ? true : undefined;
        },
        180_000,
      );
    },
    killHard() {
      if (!child?.pid) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      child = undefined;
    },
    async stop() {
      const running = child;
      if (!running?.pid || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      process.kill(-running.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      self.killHard();
    },
  };
  return self;
}

/** One API call with a bearer token, as a client would make it: the status and the parsed body. */
export async function callApi(baseUrl: string, token: string, method: string, route: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One API call as the process's bootstrap admin. */
export const call = (stayflow: StayflowProcess, method: string, route: string, body?: unknown) =>
  callApi(stayflow.url, stayflow.token, method, route, body);

/**
 * The whole `npm start` tree on its own ports and data directory, sending through `relay` (which outlives it) and
 * asking the relay's message lookup after a cut-off send. `close` stops it and removes the data directory.
 */
export async function singleProcessStack(
  name: string,
  relay: { port: number; lookupUrl: string },
): Promise<{ stayflow: StayflowProcess; close(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `stayflow-${name}-`));
  const stayflow = stayflowProcess(name, {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    SMTP_URL: `smtp://127.0.0.1:${relay.port}`,
    SMTP_MESSAGE_LOOKUP_URL: relay.lookupUrl,
    STAYFLOW_BOOTSTRAP_TOKEN: `sf_faults-${randomBytes(16).toString('hex')}`,
    LOG_LEVEL: 'warn',
  });
  await stayflow.start();
  return {
    stayflow,
    async close() {
      await stayflow.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
