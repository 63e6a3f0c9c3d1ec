import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

// What a person sees when start-up cannot go on: one line naming the setting, never a stack trace.
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: 'memory://', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('bad configuration stops start-up with a one-line reason', { timeout: 40_000 }, () => {
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

describe('loadConfig', () => {
  it('lists every bad value at once, hiding credentials', () => {
    expect(() =>
      loadConfig({ PORT: '99999', SMTP_URL: 'http://user:secret@mail', TEMPORAL_ADDRESS: 'no port' }),
    ).toThrow(
      /PORT .*99999.*; TEMPORAL_ADDRESS must be host:port.*; SMTP_URL must be a URL like smtp:\/\/.*\(got "http:\/\/\*\*\*@mail"\)/,
    );
  });

  it('gives the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.STAYFLOW_ROLE).toBe('all');
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('treats empty values as unset, as .env files write them', () => {
    expect(loadConfig({ DATABASE_URL: '', SMTP_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('refuses a split role without the external parts it needs', () => {
    expect(() => loadConfig({ STAYFLOW_ROLE: 'worker', TEMPORAL_ADDRESS: 'temporal:7233' })).toThrow(
      'STAYFLOW_ROLE=worker needs DATABASE_URL, SMTP_URL',
    );
  });

  it('wants TLS certificate and key together', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/etc/cert.pem' })).toThrow('must be set together');
  });
});
