import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {}

/**
 * Starts `temporal server start-dev` (the Temporal CLI's single-binary server, SQLite persistence) as a child
 * process and resolves once its frontend accepts connections. With `dbFile` the runs survive a restart: a second
 * `npm start` finds every waiting workflow where it left it.
 */
export async function startDevServer(opts: {
  cliPath: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  logFile?: string;
  namespace?: string;
}): Promise<DevServer> {
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
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (opts.logFile) {
    await mkdir(path.dirname(opts.logFile), { recursive: true });
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!(await isListening(opts.port))) {
    const early = await Promise.race([exited, delay(200).then(() => 'running' as const)]);
    if (early !== 'running') {
      throw new Error(
        `Temporal dev server exited with code ${early} before it was ready${opts.logFile ? ` (see ${opts.logFile})` : ''}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Temporal dev server did not open its port within 60 s');
    }
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(10_000).then(() => false)]);
      if (!stopped) child.kill('SIGKILL');
    },
  };
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
