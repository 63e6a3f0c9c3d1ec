import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Stack } from '../server/stack.js';
import { startStack } from '../server/stack.js';
import { MAX_IMPORT_BYTES } from '../server/accounts/csv-read.js';
import { importCsv } from '../server/accounts/import.js';
import { createToken } from '../server/auth/tokens.js';
import { createPlaybook, publishDraft } from '../server/playbooks/store.js';
import { temporalCliPath } from '../server/temporal/cli-path.js';
import { benchBundlePath } from './bundle.js';
import { sampleAccountsCsv } from './sample-accounts-csv.js';
import { benchConfig, benchLogger } from './stack-config.js';

// The whole product in this process as `npm start` runs it (embedded Temporal dev server, PGlite in memory, the
// worker and the API on loopback), with the bench's workflow bundle so nothing is bundled twice, and an API token.

export interface BenchStack {
  stack: Stack;
  apiUrl: string;
  /** Headers of an authenticated JSON request (an admin-scoped API token). */
  headers: Record<string, string>;
}

export async function startBenchStack(overrides: Record<string, string> = {}): Promise<BenchStack> {
  const config = await benchConfig(overrides);
  const stack = await startStack(config, {
    logger: benchLogger(),
    temporalCliPath: temporalCliPath(),
    workflowBundle: { code: await readFile(await benchBundlePath(), 'utf8') },
  });
  if (!stack.apiUrl) throw new Error('the bench stack has no API');
  const { secret } = await createToken(stack.context.database.db, { name: 'bench', scopes: ['admin'] });
  return {
    stack,
    apiUrl: stack.apiUrl,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
  };
}

/** Imports `count` accounts named `<prefix>-<n>` and answers their ids in that order. */
export async function importAccounts(bench: BenchStack, prefix: string, count: number): Promise<string[]> {
  const db = bench.stack.context.database.db;
  const csv = sampleAccountsCsv(count, (i) => `${prefix}-${i}`);
  await importCsv(db, Readable.from([Buffer.from(csv)]), 'accounts', MAX_IMPORT_BYTES);
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'external_id'])
    .where('external_id', 'like', `${prefix}-%`)
    .execute();
  const byExternal = new Map(rows.map((r) => [r.external_id, r.id]));
  return Array.from({ length: count }, (_, i) => byExternal.get(`${prefix}-${i}`)!);
}

/** A published playbook whose run goes straight to sleep for 30 days: enrolling is then all the work there is. */
export async function publishSleeper(bench: BenchStack, key: string, trigger?: string): Promise<void> {
  const db = bench.stack.context.database.db;
  await createPlaybook(db, {
    schemaVersion: 1,
    key,
    name: `Bench ${key}`,
    triggers: [trigger ? { type: 'event', event: trigger } : { type: 'manual' }],
    enrollment: { mode: 'once' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
      {
        id: 'sleep',
        type: 'wait',
        label: 'Wait 30 days',
        position: { x: 0, y: 130 },
        config: { kind: 'duration', amount: 30, unit: 'days' },
      },
      { id: 'done', type: 'end', label: 'Done', position: { x: 0, y: 260 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'sleep' },
      { id: 'e2', source: 'sleep', target: 'done' },
    ],
  });
  await publishDraft(db, key);
}

/** Runs `count` calls of `fn`, at most `inFlight` at once; answers each call's milliseconds. */
export async function bounded(count: number, inFlight: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await fn(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  return times;
}

/** A JSON POST that must answer `status`; anything else stops the bench with the answer. */
export async function post(url: string, headers: Record<string, string>, body: unknown, status: number) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (res.status !== status) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as unknown;
}
