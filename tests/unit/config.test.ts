import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

// The configuration schema; what a person sees when the real server process refuses to start is in
// tests/component/start-up-errors.test.ts.

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
