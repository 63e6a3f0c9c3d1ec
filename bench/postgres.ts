import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { provisionedPaths } from '../server/temporal/cli-path.js';

/**
 * A throwaway PostgreSQL server (the provisioned Debian binaries: `bash scripts/provision.sh postgres`) in a scratch
 * directory on a free loopback port, with the server's default durability (fsync on): the bench measures what a
 * real install pays. As root it runs as `postgres`, which PostgreSQL requires. Undefined when not provisioned.
 */
export async function startPostgres(): Promise<{ url: string; stop(): void } | undefined> {
  const bindir = process.env.PG_BINDIR || provisionedPaths().PG_BINDIR;
  if (!bindir) return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), Number(execFileSync('id', ['-g', 'postgres'])));
    chmodSync(dir, 0o700);
  }
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bindir, bin), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bindir, bin), args, { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  const port = await new Promise<number>((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
  try {
    run('initdb', ['-D', data, '-U', 'stayflow', '-A', 'trust', '-E', 'UTF8']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `the bench's PostgreSQL server did not start: ${String((error as { stderr?: Buffer }).stderr ?? error)}`,
    );
  }
  return {
    url: `postgres://stayflow@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
