import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

// What a person sees when start-up cannot go on: one line naming the setting, never a stack trace.
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: 'memory://', ...env },
    encoding: 'utf8',
    timeout: 50_000, // a busy machine can take many seconds to load tsx and open PGlite
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('bad configuration stops start-up with a one-line reason', () => {
  it('DATABASE_URL=nonsense', () => {
    const { status, stderr } = start({ DATABASE_URL: 'nonsense' });
    expect(status).toBe(1);
    expect(stderr).toBe(
      'stayflow: cannot start: Invalid configuration: DATABASE_URL must be a URL like postgres://user:pass@host:5432/stayflow (got "nonsense")',
    );
  });

  it('a port that is already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const { status, stderr } = start({ PORT: String(port) });
      expect(status).toBe(1);
      expect(stderr).toBe(`stayflow: cannot start: port ${port} (PORT) is already in use (another Stayflow running?)`);
    } finally {
      blocker.close();
    }
  });
});
