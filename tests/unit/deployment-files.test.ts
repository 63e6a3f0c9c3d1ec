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
// Node's own variables, read by the runtime before any of the app's code: the worker's heap cap goes here.
const NODE_RUNTIME_KEYS = ['NODE_OPTIONS'];

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  deploy?: { replicas?: number };
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  restart?: string;
  configs?: (string | { source: string; target?: string })[];
}
interface Compose {
  services?: Record<string, Service>;
  configs?: Record<string, { content?: string; file?: string }>;
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
  it('has the eight services', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'mailpit',
        'postgres',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
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
    expect(Object.keys(env).filter((key) => !configKeys.includes(key) && !NODE_RUNTIME_KEYS.includes(key))).toEqual([]);
  });

  it('caps the worker heap as `STAYFLOW_ROLE=worker npm start` does', () => {
    const launcher = /--max-old-space-size=(\d+)/.exec(read('scripts/start.mjs'))?.[1];
    expect(launcher).toBeDefined();
    expect(environment('worker').NODE_OPTIONS).toBe(`--max-old-space-size=${launcher}`);
    // The API keeps V8's default: its heap holds request bodies and imports, not a workflow cache.
    expect(environment('api').NODE_OPTIONS).toBeUndefined();
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
  });
});

// The scaled shape's promises: what docs/scaling.md describes is what `docker compose up` starts.
describe('docker-compose.yml, the scaled shape', () => {
  const oneShot = (name: string) => ['no', 'on-failure'].includes((service(name).restart ?? 'no').split(':')[0]!);
  /** A service's dependencies with their conditions (the short list form has none). */
  const dependsOn = (name: string): Record<string, { condition?: string }> => {
    const deps = service(name).depends_on ?? {};
    return Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, {}])) : deps;
  };
  const imageTag = (image: string) => /^[^:@]+:([^@]+)$/.exec(image)?.[1];
  const initSql = () => {
    const mounts = service('postgres').configs ?? [];
    const sources = mounts.map((m) => (typeof m === 'string' ? m : m.source));
    return sources.map((source) => compose.configs?.[source]?.content ?? '').join('\n');
  };

  it('runs Temporal on its maintained server image, not the deprecated auto-setup one', () => {
    const images = Object.values(services).map((s) => s.image ?? '');
    expect(images.filter((image) => image.includes('auto-setup'))).toEqual([]);
    expect(service('temporal').image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
  });

  it("sets Temporal's schema up with the admin tools of the same version, before the server starts", () => {
    const schema = service('temporal-schema');
    expect(imageTag(schema.image ?? '')).toBe(imageTag(service('temporal').image ?? ''));
    expect(schema.image).toMatch(/^temporalio\/admin-tools:/);
    const script = [schema.command ?? ''].flat().join('\n');
    expect(script).toContain('temporal-sql-tool');
    expect(script).toContain('setup-schema');
    expect(script).toContain('update-schema');
    expect(script).toMatch(/postgresql\/v12\/\$\$db\/versioned/);
    expect(script).toContain('temporal_visibility');
    expect(dependsOn('temporal')['temporal-schema']?.condition).toBe('service_completed_successfully');
  });

  it('pins every image to a version tag', () => {
    for (const [name, s] of Object.entries(services)) {
      const tag = imageTag(s.image ?? '');
      expect(tag, `${name}: ${s.image ?? 'no image'}`).toMatch(/\d/);
      expect(tag, name).not.toBe('latest');
    }
    // What this checkout builds is tagged with its own version, so two checkouts never share a tag.
    const { version } = JSON.parse(read('package.json')) as { version: string };
    for (const name of ['api', 'worker']) expect(service(name).image, name).toBe(`stayflow:${version}`);
  });

  it('has a healthcheck on every long-running service; one-shot jobs gate what needs them by their exit', () => {
    for (const [name, s] of Object.entries(services)) {
      if (oneShot(name)) continue;
      expect(s.healthcheck?.disable, name).not.toBe(true);
      expect([s.healthcheck?.test ?? []].flat().length, `${name} has no healthcheck`).toBeGreaterThan(1);
    }
    for (const name of Object.keys(services)) {
      for (const [dependency, { condition }] of Object.entries(dependsOn(name))) {
        const wanted = oneShot(dependency) ? 'service_completed_successfully' : 'service_healthy';
        expect(condition, `${name} → ${dependency}`).toBe(wanted);
      }
    }
  });

  it('gives Temporal and the app separate database users, neither of them the superuser', () => {
    const sql = initSql();
    const superuser = environment('postgres').POSTGRES_USER;
    const temporalUser = environment('temporal').POSTGRES_USER;
    const schemaUser = /-u (\w+)/.exec([service('temporal-schema').command ?? ''].flat().join(' '))?.[1];
    const app = new URL(loadConfig(environment('api')).DATABASE_URL ?? 'missing:');
    expect(new URL(loadConfig(environment('worker')).DATABASE_URL ?? 'missing:').username).toBe(app.username);
    expect(new Set([superuser, temporalUser, app.username]).size).toBe(3);
    expect(schemaUser).toBe(temporalUser);
    expect(sql).toMatch(new RegExp(`CREATE ROLE ${temporalUser} LOGIN`));
    expect(sql).toMatch(new RegExp(`CREATE ROLE ${app.username} LOGIN`));
    for (const db of ['temporal', 'temporal_visibility']) {
      expect(sql).toMatch(new RegExp(`CREATE DATABASE ${db} OWNER ${temporalUser};`));
    }
    expect(sql).toMatch(new RegExp(`CREATE DATABASE ${app.pathname.slice(1)} OWNER ${app.username};`));
    expect(sql).toMatch(/REVOKE ALL ON DATABASE .* FROM PUBLIC/);
  });

  it('runs the API and the workers as separate services, on the image built from the Dockerfile, its own CMD', () => {
    expect(environment('api').STAYFLOW_ROLE).toBe('api');
    expect(environment('worker').STAYFLOW_ROLE).toBe('worker');
    // The Dockerfile's CMD starts the built server; a command here would have to say the same, so none is set.
    for (const name of ['api', 'worker']) expect(service(name).command, name).toBeUndefined();
    expect(service('worker').deploy?.replicas).toBeGreaterThan(1);
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
