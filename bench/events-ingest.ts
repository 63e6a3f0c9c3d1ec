import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { sql } from 'kysely';
import { notifyEventsRecorded } from '../server/accounts/entity-signals.js';
import { importAccounts, startBenchStack, type BenchStack } from './bench-stack.js';
import { startLoadGenerator, type LoadGenerator } from './load/client.js';
import type { LoadRequest } from './load/protocol.js';
import { median, note, quantile, report, startBench } from './measure.js';

// POST /api/events at a fixed rate (open loop, from a separate load-generator process on loopback), against a bare
// Express route on the same process answering the same request, and against the least a durable ingestion could
// do (one INSERT in the same database, then the same signal to the account's workflow). The worker is stopped, as
// in the scaled-out shape where the API runs alone: what is measured is the request, not the work it hands off.
const RATE = 20;
const PER_ROUND = 150;
const ROUNDS = 2;
const ACCOUNTS = 100;

type Arm = 'stayflow' | 'bare' | 'durable';

async function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function benchEventsIngest(): Promise<void> {
  startBench('events', `POST /api/events at ${RATE}/s, ${PER_ROUND} a round, ${ROUNDS} alternating rounds`);
  const bench = await startBenchStack();
  const load = await startLoadGenerator();
  try {
    bench.stack.worker?.shutdown();
    await measure(bench, load);
  } finally {
    load.close();
    await bench.stack.close();
  }
}

async function measure(bench: BenchStack, load: LoadGenerator): Promise<void> {
  const { context } = bench.stack;
  const db = context.database.db;
  const ids = await importAccounts(bench, 'ingest', ACCOUNTS);
  await sql`create table bench_events (id bigserial primary key, account_id uuid not null, name text not null, data jsonb not null, received_at timestamptz not null default now())`.execute(
    db,
  );
  const bare = express();
  bare.use(express.json({ limit: '1mb' }));
  bare.post('/events', (req, res) => {
    res
      .status(202)
      .json({ accepted: 1, duplicates: 0, results: [{ index: 0, status: 'accepted', body: req.body as unknown }] });
  });
  const durable = express();
  durable.use(express.json({ limit: '1mb' }));
  durable.post('/events', (req, res, next) => {
    const event = req.body as { accountId: string; name: string; data?: unknown };
    sql`insert into bench_events (account_id, name, data) values (${event.accountId}, ${event.name}, ${JSON.stringify(event.data ?? {})})`
      .execute(db)
      .then(() =>
        notifyEventsRecorded({ temporal: context.temporal, taskQueue: context.config.TEMPORAL_TASK_QUEUE }, [
          event.accountId,
        ]),
      )
      .then(() => void res.status(202).json({ accepted: 1 }))
      .catch(next);
  });
  const servers = { bare: await listen(bare), durable: await listen(durable) };
  const urls: Record<Arm, string> = {
    stayflow: `${bench.apiUrl}/api/events`,
    bare: `${servers.bare.url}/events`,
    durable: `${servers.durable.url}/events`,
  };
  let serial = 0;
  const requests = (arm: Arm, count: number): LoadRequest[] =>
    Array.from({ length: count }, () => {
      const n = serial++;
      return {
        url: urls[arm],
        body: {
          accountId: ids[n % ids.length],
          name: 'product.session',
          data: { minutes: 5 + (n % 40) },
          idempotencyKey: `s-${n}`,
        },
      };
    });
  const arms: Arm[] = ['stayflow', 'bare', 'durable'];
  const latencies = new Map<Arm, number[]>(arms.map((a) => [a, []]));
  try {
    for (const arm of arms)
      await load.run({
        kind: 'open',
        requests: requests(arm, 20),
        headers: bench.headers,
        ratePerSecond: RATE,
        expect: 202,
      });
    for (let round = 0; round < ROUNDS; round++) {
      for (const arm of round % 2 ? [...arms].reverse() : arms) {
        const result = await load.run({
          kind: 'open',
          requests: requests(arm, PER_ROUND),
          headers: bench.headers,
          ratePerSecond: RATE,
          expect: 202,
        });
        latencies.get(arm)!.push(...result.latencies);
      }
    }
  } finally {
    await servers.bare.close();
    await servers.durable.close();
  }
  const p99 = (arm: Arm) => quantile(latencies.get(arm)!, 0.99);
  const p50 = (arm: Arm) => median(latencies.get(arm)!);
  note(
    `p50: Stayflow ${p50('stayflow').toFixed(1)} ms, bare ${p50('bare').toFixed(1)} ms, durable minimum ${p50('durable').toFixed(1)} ms ` +
      `(${latencies.get('stayflow')!.length} requests each)`,
  );
  report(`events ingestion p99 at ${RATE}/s`, 'bare Express route', p99('bare'), p99('stayflow'), {
    target: { text: '≤ 1.5×', met: (r) => r <= 1.5 },
  });
  report(`events ingestion p99 at ${RATE}/s`, 'INSERT + signal, bare', p99('durable'), p99('stayflow'), {
    note: 'the least a durable ingestion does: one INSERT in the same database, one signal-with-start',
  });
}
