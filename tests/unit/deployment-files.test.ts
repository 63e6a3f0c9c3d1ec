import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Config, loadConfig } from '../../server/config.js';

// The deployment files are never run here (no Docker engine), so this is what keeps them in step with
// server/config.ts: a renamed or misspelled variable would otherwise only show up on someone's server.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const configKeys = Object.keys(Config.shape).sort();

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, unknown> | string[];
  deploy?: { replicas?: number };
}
interface Compose {
  services?: Record<string, Service>;
}

// `merge: true` so the `<<: *stayflow-env` anchors expand as Docker Compose expands them.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const services = compose.services ?? {};

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as strings, whichever of the two Compose spellings (map or KEY=value list) it uses. */
function environment(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const at = line.indexOf('=');
        return at === -1 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]));
}

describe('docker-compose.yml', () => {
  it('has the six services', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'mailpit', 'postgres', 'temporal', 'temporal-ui', 'worker'].sort(),
    );
  });

  it.each(['api', 'worker'])('%s is built from the repository Dockerfile', (name) => {
    const build = service(name).build;
    const context = typeof build === 'string' ? build : build?.context;
    const dockerfile = (typeof build === 'object' ? build.dockerfile : undefined) ?? 'Dockerfile';
    expect(context, `${name} has no build context`).toBeDefined();
    expect(path.resolve(root, context ?? '', dockerfile)).toBe(path.join(root, 'Dockerfile'));
    expect(existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  it.each(['api', 'worker'] as const)('%s only sets variables declared in the Config schema', (name) => {
    const env = environment(name);
    expect(Object.keys(env).length).toBeGreaterThan(0);
    expect(Object.keys(env).filter((key) => !configKeys.includes(key))).toEqual([]);
  });

  it.each(['api', 'worker'] as const)('%s environment is accepted by loadConfig', (name) => {
    const config = loadConfig(environment(name));
    expect(config.STAYFLOW_ROLE).toBe(name);
  });

  it('api and worker reach Temporal, PostgreSQL and SMTP by their compose service names', () => {
    for (const name of ['api', 'worker']) {
      const config = loadConfig(environment(name));
      expect(config.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
      expect(new URL(config.DATABASE_URL ?? 'missing:').hostname, name).toBe('postgres');
      expect(new URL(config.SMTP_URL ?? 'missing:').hostname, name).toBe('mailpit');
    }
  });

  it('runs more than one worker', () => {
    expect(service('worker').deploy?.replicas).toBeGreaterThan(1);
  });

  it('points the Temporal UI at the temporal service', () => {
    expect(environment('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
  });
});

describe('.env.example', () => {
  it('lists exactly the keys of the Config schema', () => {
    const keys = read('.env.example')
      .split(/\r?\n/)
      .map((line) => /^#? ?([A-Z_]+)=/.exec(line)?.[1])
      .filter((key): key is string => key !== undefined);
    expect(new Set(keys).size, 'a key is listed twice').toBe(keys.length);
    expect(keys.sort()).toEqual(configKeys);
  });
});

describe('Dockerfile', () => {
  it('starts the built server, not TypeScript through tsx', () => {
    const cmd = read('Dockerfile')
      .split(/\r?\n/)
      .filter((line) => /^CMD\s/.test(line))
      .at(-1);
    expect(cmd, 'no CMD line').toBeDefined();
    // Exec form, so the process gets SIGTERM directly and can shut the worker down cleanly.
    const argv = JSON.parse((cmd ?? '').replace(/^CMD\s+/, '')) as unknown;
    expect(Array.isArray(argv)).toBe(true);
    expect(argv).toContain('dist/server/main.js');
    expect((argv as string[]).join(' ')).not.toContain('tsx');
  });
});
