import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isListening, startDevServer, type DevServer } from '../../server/temporal/dev-server.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { freePort } from '../support/free-port.js';
import { until } from '../support/until.js';

// The embedded Temporal dev server lives and dies with Stayflow: restarted when it exits by itself, stopped when
// the process that started it is killed, and a leftover on the same database is stopped at the next start instead
// of failing it with "port in use".

const cli = temporalCliPath()!;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stayflow-devserver-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the embedded Temporal dev server', () => {
  it('is started again, on the same port, when it dies', async () => {
    const port = await freePort();
    const restarts: number[] = [];
    const server: DevServer = await startDevServer({
      cliPath: cli,
      port,
      restartDelayMs: { first: 200, max: 1_000 },
      onRecovered: (attempt) => restarts.push(attempt),
    });
    try {
      const first = server.process.pid!;
      process.kill(first, 'SIGKILL');
      await until('the restart', async () => (server.restarts === 1 ? true : undefined), 60_000);
      expect(server.process.pid).not.toBe(first);
      expect(await isListening(port)).toBe(true);
      expect(restarts).toEqual([1]);
    } finally {
      await server.stop();
    }
    // Stopped on purpose: not restarted.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await isListening(port)).toBe(false);
  });

  it('stops a leftover that a killed Stayflow left on the same database, instead of refusing to start', async () => {
    const dir = await tempDir();
    const dbFile = path.join(dir, 'temporal.sqlite');
    const port = await freePort();
    // A dev server nobody supervises, as a kill -9 from before the watchdog left it, with its pid file.
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
    const leftover = spawn(cli, [...args, '--db-filename', dbFile], { stdio: 'ignore' });
    await writeFile(`${dbFile}.pid`, `${leftover.pid}\n`);
    await until('the port', async () => ((await isListening(port)) ? true : undefined), 60_000);

    const server = await startDevServer({ cliPath: cli, port, dbFile });
    try {
      expect(leftover.exitCode !== null || leftover.signalCode !== null).toBe(true);
      expect(server.process.pid).not.toBe(leftover.pid);
      expect(await isListening(port)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('leaves a process on another database alone (the port is then in use)', async () => {
    const dir = await tempDir();
    const port = await freePort();
    const other = spawn(cli, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'], {
      stdio: 'ignore',
    });
    try {
      // Its pid in our pid file, as if the pid had been reused by an unrelated process.
      const dbFile = path.join(dir, 'temporal.sqlite');
      await writeFile(`${dbFile}.pid`, `${other.pid}\n`);
      await until('the port', async () => ((await isListening(port)) ? true : undefined), 60_000);
      await expect(startDevServer({ cliPath: cli, port, dbFile })).rejects.toThrow(/already in use/);
      expect(alive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('dies with the process that started it, even when that one is killed with -9', async () => {
    const port = await freePort();
    const script = `
      import { startDevServer } from './server/temporal/dev-server.ts';
      const server = await startDevServer({ cliPath: ${JSON.stringify(cli)}, port: ${port} });
      console.log('temporal ' + server.process.pid);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until('the dev server', async () => (/temporal \d+/.test(output) ? true : undefined), 90_000);
    const temporalPid = Number(/temporal (\d+)/.exec(output)![1]);
    expect(alive(temporalPid)).toBe(true);

    parent.kill('SIGKILL');
    await until('the dev server to stop', async () => (alive(temporalPid) ? undefined : true), 20_000);
    expect(await isListening(port)).toBe(false);
  });

  it('the server stops by itself when its launcher (npm start) is killed with -9, and Temporal with it', async () => {
    const env = {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      SMTP_CATCHER_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'warn',
      TEMPORAL_TASK_QUEUE: `stayflow-launcher-${process.pid}`,
    };
    // What scripts/start.mjs does, minus provisioning and the editor build: start the server as its child.
    const launcherScript = `
      import { spawn } from 'node:child_process';
      const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, STAYFLOW_LAUNCHER_PID: String(process.pid) },
      });
      server.stdout.on('data', (chunk) => { if (String(chunk).includes('is running')) console.log('server ' + server.pid); });
      setInterval(() => {}, 1000);
    `;
    const launcher = spawn(process.execPath, ['--input-type=module', '-e', launcherScript], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    });
    let output = '';
    launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until('the server', async () => (/server \d+/.test(output) ? true : undefined), 120_000);
    const serverPid = Number(/server (\d+)/.exec(output)![1]);
    expect(await isListening(Number(env.TEMPORAL_DEV_PORT))).toBe(true);

    launcher.kill('SIGKILL');
    await until('the server to stop', async () => (alive(serverPid) ? undefined : true), 30_000);
    await until(
      'Temporal to stop',
      async () => ((await isListening(Number(env.TEMPORAL_DEV_PORT))) ? undefined : true),
      20_000,
    );
    expect(await isListening(Number(env.PORT))).toBe(false);
  });
});
