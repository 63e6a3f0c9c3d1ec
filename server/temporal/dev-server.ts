import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  /** The running child; a new one after a restart. */
  readonly process: ChildProcess;
  /** How many times it was restarted after exiting by itself. */
  readonly restarts: number;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {}

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  logFile?: string;
  namespace?: string;
  /** Told when the server exited by itself and when it is back (default: nothing). */
  onRestart?: (event: {
    exitCode: number | null;
    signal: NodeJS.Signals | null;
    attempt: number;
    delayMs: number;
  }) => void;
  onRecovered?: (attempt: number) => void;
  /** Backoff between restarts: first delay, doubling up to the cap. */
  restartDelayMs?: { first: number; max: number };
}

/**
 * Starts `temporal server start-dev` (the Temporal CLI's single-binary server, SQLite persistence) as a child
 * process and resolves once its frontend accepts connections. With `dbFile` the runs survive a restart: a second
 * `npm start` finds every waiting workflow where it left it.
 *
 * It lives and dies with this process:
 * - a watchdog (`sh`, polling once a second) stops it when this process is gone, even by kill -9, which no exit
 *   handler sees — a Temporal left behind would hold the port and make the next `npm start` fail;
 * - a pid file beside the database names it, so a leftover from the same data directory (a kill -9 from before
 *   the watchdog, a crashed machine) is stopped at the next start instead of refusing with "port in use";
 * - when it exits by itself, it is started again with backoff on the same port and database; the client and the
 *   worker reconnect on their own.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const pidFile = opts.dbFile ? `${opts.dbFile}.pid` : undefined;
  if (pidFile) await stopLeftover(pidFile, opts.dbFile!);
  for (const port of [opts.port, opts.uiPort].filter((p): p is number => p !== undefined)) {
    if (await isListening(port)) {
      throw new PortInUseError(`port ${port} is already in use (another Stayflow or Temporal running?)`);
    }
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  args.push('--namespace', opts.namespace ?? 'default');
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    await mkdir(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (opts.logFile) await mkdir(path.dirname(opts.logFile), { recursive: true });

  let stopping = false;
  let restarts = 0;
  let current = await launch(opts, args, pidFile);
  const backoff = opts.restartDelayMs ?? { first: 1_000, max: 30_000 };

  const supervise = (child: Launched) => {
    void child.exited.then(async ({ code, signal }) => {
      if (stopping) return;
      for (let attempt = 1; !stopping; attempt++) {
        const delayMs = Math.min(backoff.max, backoff.first * 2 ** (attempt - 1));
        opts.onRestart?.({ exitCode: code, signal, attempt, delayMs });
        await delay(delayMs);
        if (stopping) return;
        try {
          current = await launch(opts, args, pidFile);
          restarts++;
          opts.onRecovered?.(attempt);
          supervise(current);
          return;
        } catch {
          // The port may still be held by the dying process, or the binary failed: wait longer and try again.
        }
      }
    });
  };
  supervise(current);

  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    get process() {
      return current.child;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      const { child, exited } = current;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), delay(10_000).then(() => false)]);
        if (!stopped) child.kill('SIGKILL');
      }
      if (pidFile) await rm(pidFile, { force: true });
    },
  };
}

interface Launched {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function launch(opts: DevServerOptions, args: string[], pidFile: string | undefined): Promise<Launched> {
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (child.pid !== undefined) {
    watchParent(child.pid);
    if (pidFile) await writeFile(pidFile, `${child.pid}\n`);
  }
  if (opts.logFile) {
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const deadline = Date.now() + 60_000;
  while (!(await isListening(opts.port))) {
    const early = await Promise.race([exited, delay(200).then(() => 'running' as const)]);
    if (early !== 'running') {
      throw new Error(
        `Temporal dev server exited with code ${early.code ?? early.signal} before it was ready${opts.logFile ? ` (see ${opts.logFile})` : ''}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Temporal dev server did not open its port within 60 s');
    }
  }
  return { child, exited };
}

/**
 * A detached `sh` that outlives nothing: once this process is gone (however it died) it stops the child, then
 * exits; if the child ends first, it exits too. Polling once a second is the price of not needing prctl.
 */
function watchParent(childPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${childPid} 2>/dev/null; do sleep 1; done
kill -0 ${childPid} 2>/dev/null || exit 0
kill -TERM ${childPid} 2>/dev/null; i=0
while kill -0 ${childPid} 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done
kill -KILL ${childPid} 2>/dev/null; exit 0`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
}

/** Stops a dev server a previous process left running on the same database file (its pid file says which). */
async function stopLeftover(pidFile: string, dbFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  // Only a `temporal … start-dev` on this very database file: the pid may have been reused by anything else.
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  if (!cmdline.includes('start-dev') || !cmdline.includes(dbFile)) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && alive(pid); waited += 200) await delay(200);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 5_000 && alive(pid); waited += 100) await delay(100);
  await rm(pidFile, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
