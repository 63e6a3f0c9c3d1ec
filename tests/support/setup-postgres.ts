import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { provisionedPaths } from '../../server/temporal/cli-path.js';
import { freePort } from './free-port.js';
import './provided.js';

// The Postgres lane runs the data layer against a real PostgreSQL server, started here in a scratch directory on a
// free loopback port and removed afterwards. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
export default async function setup(project: TestProject) {
  const bindir = process.env.PG_BINDIR || provisionedPaths().PG_BINDIR;
  if (!bindir) {
    throw new Error('postgres lane: no PostgreSQL server binaries (run: bash scripts/provision.sh postgres)');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (bin: string, args: string[]) => {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bindir, bin), ...args]]
      : [path.join(bindir, bin), args];
    return execFileSync(cmd as string, argv as string[], { stdio: 'pipe' }).toString();
  };
  const data = path.join(dir, 'data');
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'stayflow', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`postgres lane: the PostgreSQL server did not start: ${stderr || String(error)}`);
  }
  project.provide('databaseUrl', `postgres://stayflow@127.0.0.1:${port}/postgres`);
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
