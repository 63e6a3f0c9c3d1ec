import { WorkflowIdReusePolicy } from '@temporalio/client';
import type { RunInput } from '../engine/interpreter/types.js';
import {
  accountAttribute,
  nodeAttribute,
  playbookKeyAttribute,
  statusAttribute,
  versionAttribute,
} from '../engine/search-attributes.js';
import { positionQuery } from '../engine/workflows/playbook-signals.js';
import { compiledVersion, findPlaybook } from '../server/playbooks/store.js';
import { bounded, importAccounts, publishSleeper, startBenchStack, type BenchStack } from './bench-stack.js';
import { benchBundlePath } from './bundle.js';
import { startLoadGenerator, type LoadGenerator } from './load/client.js';
import { median, note, quantile, report, startBench } from './measure.js';
import { startWorkerProcess, type WorkerProcess } from './sleep/worker-client.js';

// Many runs asleep on timers (a 30-day wait), the state most runs spend their life in. A worker in its own process
// (so its memory is its own) with the product's sticky cache; its memory after a full collection with 100 runs
// asleep and with 10,000, and the API's p99 (runs listed from visibility, accounts from the database) at both.
// Then a second worker with a larger cache, filled by querying runs, gives the memory each cached run costs.
const TOTAL = Number(process.env.BENCH_SLEEPING_RUNS ?? 10_000);
const FEW = 100;
const START_IN_FLIGHT = 32;
const API_REQUESTS = 400;
/** How long starting runs may take before the stages stop (the whole `npm run bench` stays under 10 minutes). */
const BUDGET_MS = Number(process.env.BENCH_SLEEPING_BUDGET_S ?? 180) * 1000;
/** Runs replayed into each probe worker to size the sticky cache's cost. */
const CACHE_PROBE = 600;
/** Started runs allowed to wait for their first workflow task while more are started. */
const BACKLOG = 500;
/** The V8 old-space limit of the third probe, MB. */
const HEAP_CAP_MB = 128;
const API_RATE = 40;
const MB = 1024 * 1024;

export async function benchSleepingRuns(): Promise<void> {
  startBench(
    'sleeping',
    `${TOTAL.toLocaleString('en')} runs asleep on timers against ${FEW}, worker in its own process`,
  );
  const bench = await startBenchStack();
  const load = await startLoadGenerator();
  const workers: WorkerProcess[] = [];
  try {
    // The stack's own worker would share this process; the measured one runs alone.
    bench.stack.worker?.shutdown();
    await measure(bench, load, workers);
  } finally {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    load.close();
    await bench.stack.close();
  }
}

async function measure(bench: BenchStack, load: LoadGenerator, workers: WorkerProcess[]): Promise<void> {
  const { context, devServer } = bench.stack;
  const client = context.temporal;
  const config = context.config;
  const taskQueue = `${config.TEMPORAL_TASK_QUEUE}-sleeping`;
  const db = context.database.db;
  await publishSleeper(bench, 'bench-sleep');
  const ir = await compiledVersion(db, await findPlaybook(db, 'bench-sleep'));
  const accountIds = await importAccounts(bench, 'sleep', 200);
  const workerOptions = {
    address: devServer?.address ?? config.TEMPORAL_ADDRESS ?? '',
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    bundlePath: await benchBundlePath(),
  };
  // A worker-only process as `STAYFLOW_ROLE=worker npm start` runs it (scripts/start.mjs): the default sticky cache,
  // V8's old space capped at 256 MB. BENCH_WORKER_CACHE and BENCH_WORKER_HEAP_MB (0: uncapped) measure other
  // settings (docs/performance.md compares 200 / 256 with the earlier 500 / 0).
  const cacheSize = Number(process.env.BENCH_WORKER_CACHE ?? config.WORKER_MAX_CACHED_WORKFLOWS);
  const heapMb = Number(process.env.BENCH_WORKER_HEAP_MB ?? 256);
  const worker = await startWorkerProcess({
    ...workerOptions,
    cacheSize,
    ...(heapMb > 0 && { nodeFlags: [`--max-old-space-size=${heapMb}`] }),
  });
  workers.push(worker);

  const asleep = () =>
    client.workflow.count(`StayflowPlaybook = 'bench-sleep' AND StayflowStatus = 'waiting-timer'`).then((c) => c.count);
  let started = 0;
  /**
   * Starts up to `count` more runs; stops early, and says how many it started, once `deadline` has passed. Starts
   * wait while more than BACKLOG started runs are not asleep yet: starting is faster than the worker's first task,
   * and an unbounded backlog would keep the bench waiting long after its deadline.
   */
  const startRuns = async (count: number, deadline = Infinity) => {
    const first = started;
    let done = 0;
    let asleepNow = await asleep();
    let polling = Promise.resolve();
    let lastPoll = performance.now();
    await bounded(count, START_IN_FLIGHT, async (i) => {
      while (first + done - asleepNow > BACKLOG && performance.now() <= deadline) {
        if (performance.now() - lastPoll > 250) {
          lastPoll = performance.now();
          polling = asleep().then((n) => void (asleepNow = n));
        }
        await polling;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (performance.now() > deadline) return;
      const id = `sleeper-${first + i}`;
      await client.workflow.start('playbookRunWorkflow', {
        taskQueue,
        workflowId: `playbook:bench-sleep:account:${id}`,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [
          {
            playbook: ir,
            account: { id, timeZone: 'Europe/Madrid', fields: { segment: 'tech-touch' } },
          } satisfies RunInput,
        ],
        typedSearchAttributes: [
          { key: playbookKeyAttribute, value: ir.key },
          { key: versionAttribute, value: ir.version },
          { key: accountAttribute, value: id },
          { key: nodeAttribute, value: ir.startNodeId },
          { key: statusAttribute, value: 'running' },
        ],
      });
      done++;
    });
    // Ids stay consecutive: the runs skipped after the deadline are never started.
    started += done;
    return done;
  };
  const untilAsleep = async (n: number) => {
    const deadline = performance.now() + 600_000;
    while ((await asleep()) < n) {
      if (performance.now() > deadline) throw new Error(`${n} runs did not all fall asleep in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Idle: no activation in flight, twice in a row a second apart.
    for (let idle = 0; idle < 2;) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      idle = (await worker.memory()).activations === 0 ? idle + 1 : 0;
    }
  };
  const memoryOf = async (w: WorkerProcess) => {
    const samples = [await w.memory(), await w.memory(), await w.memory()];
    return {
      rss: median(samples.map((s) => s.rss)) / MB,
      heap: median(samples.map((s) => s.heapUsed)) / MB,
      cached: samples[2]!.cached,
    };
  };
  const apiP99 = async () => {
    const requests = Array.from({ length: API_REQUESTS }, (_, i) => ({
      url:
        i % 2
          ? `${bench.apiUrl}/api/runs?playbook=bench-sleep&limit=20`
          : `${bench.apiUrl}/api/accounts/${accountIds[i % accountIds.length]}`,
    }));
    const result = await load.run({
      kind: 'open',
      requests,
      headers: bench.headers,
      ratePerSecond: API_RATE,
      expect: 200,
    });
    const runs = result.latencies.filter((_, i) => i % 2 === 1);
    const accounts = result.latencies.filter((_, i) => i % 2 === 0);
    return {
      p50: median(result.latencies),
      runs: quantile(runs, 0.99),
      accounts: quantile(accounts, 0.99),
    };
  };

  await startRuns(FEW);
  await untilAsleep(FEW);
  const few = await memoryOf(worker);
  // The baseline's p99 is read twice: how far two readings of the same state differ is this machine's noise floor.
  const fewApi = await apiP99();
  const fewApiAgain = await apiP99();
  // Then more runs, in stages (so the memory's growth shows), until TOTAL or the time budget: a machine too busy to
  // start them all in time reports the largest number it reached, and says so, instead of overrunning the bench.
  const budgetEnds = performance.now() + BUDGET_MS;
  let many = few;
  for (const stage of [1_000, 3_000, TOTAL].filter((n) => n > FEW && n <= TOTAL)) {
    if (performance.now() > budgetEnds) break;
    const t0 = performance.now();
    const added = await startRuns(stage - started, budgetEnds);
    await untilAsleep(started);
    many = await memoryOf(worker);
    note(
      `${started.toLocaleString('en')} runs asleep (${(added / ((performance.now() - t0) / 1000)).toFixed(0)} more a second): ` +
        `worker RSS ${many.rss.toFixed(0)} MB, main heap ${many.heap.toFixed(0)} MB, ${many.cached} cached`,
    );
    if (started < stage) break;
  }
  const reached = started;
  if (reached < TOTAL) {
    note(
      `stopped at ${reached.toLocaleString('en')} of ${TOTAL.toLocaleString('en')} runs: the ${BUDGET_MS / 1000} s budget for starting them ran out on this machine (BENCH_SLEEPING_BUDGET_S)`,
    );
  }
  const manyApi = await apiP99();
  const label = `${reached.toLocaleString('en')} runs asleep`;
  note(
    `worker with a ${cacheSize}-run sticky cache, ${heapMb > 0 ? `old space capped at ${heapMb} MB` : 'uncapped'}: ${FEW} runs asleep → RSS ${few.rss.toFixed(0)} MB, main heap ${few.heap.toFixed(0)} MB, ${few.cached} cached`,
  );
  report(`worker memory (RSS), ${label}`, `${FEW} runs asleep`, few.rss, many.rss, {
    unit: 'MB',
    target: { text: `≤ +60 MB (here +${(many.rss - few.rss).toFixed(0)} MB)`, met: many.rss - few.rss <= 60 },
  });
  note(
    `API p50: ${fewApi.p50.toFixed(1)} ms with ${FEW} runs, ${manyApi.p50.toFixed(1)} ms with ${reached.toLocaleString('en')}; ` +
      `the ${FEW}-run p99s read twice (the noise floor here): runs list ${fewApi.runs.toFixed(0)} / ${fewApiAgain.runs.toFixed(0)} ms, ` +
      `account ${fewApi.accounts.toFixed(0)} / ${fewApiAgain.accounts.toFixed(0)} ms`,
  );
  const endpoints = [
    ['runs', 'GET /api/runs?playbook=… (Temporal visibility)'],
    ['accounts', 'GET /api/accounts/:id (database)'],
  ] as const;
  for (const [key, what] of endpoints) {
    const before = Math.max(fewApi[key], fewApiAgain[key]);
    report(
      `API p99 at ${API_RATE / 2}/s, ${label}: ${what}`,
      `${FEW} runs asleep (worse of two)`,
      before,
      manyApi[key],
      {
        // More runs asleep cannot make a request faster: a ratio under 1 is this machine's noise, and counts as unchanged.
        target: { text: 'unchanged: ≤ 1.2×', met: (r) => r <= 1.2 },
      },
    );
  }
  await worker.stop();
  workers.splice(workers.indexOf(worker), 1);

  // Memory per cached run: fresh workers, a small cache and a large one, each made to replay the same runs (a query
  // on a run not in the cache replays its history there, then keeps it). Both did the same work, so what differs is
  // what the larger cache keeps. A third, small cache again but with V8's old space capped, shows how much of a
  // worker's growth is garbage its workflow threads have not collected yet (V8 collects lazily, far below its limit).
  const runs = Math.min(reached, CACHE_PROBE);
  const query = (count: number) =>
    bounded(count, START_IN_FLIGHT, async (i) => {
      await client.workflow.getHandle(`playbook:bench-sleep:account:sleeper-${i}`).query(positionQuery);
    });
  const probes: { cacheSize: number; nodeFlags?: string[] }[] = [
    { cacheSize: Math.floor(runs / 10) },
    { cacheSize: runs },
    { cacheSize: Math.floor(runs / 10), nodeFlags: [`--max-old-space-size=${HEAP_CAP_MB}`] },
  ];
  const measured = [];
  for (const options of probes) {
    const probe = await startWorkerProcess({ ...workerOptions, ...options });
    workers.push(probe);
    await query(runs);
    measured.push(await memoryOf(probe));
    await probe.stop();
    workers.splice(workers.indexOf(probe), 1);
  }
  const [small, large, capped] = measured as [Memory, Memory, Memory];
  note(
    `${runs} runs replayed: cache of ${small.cached} → RSS ${small.rss.toFixed(0)} MB; cache of ${large.cached} → ` +
      `RSS ${large.rss.toFixed(0)} MB; cache of ${capped.cached} with --max-old-space-size=${HEAP_CAP_MB} → RSS ${capped.rss.toFixed(0)} MB`,
  );
  const perRun = ((large.rss - small.rss) * 1024) / Math.max(1, large.cached - small.cached);
  report(
    `worker RSS, sticky cache of ${large.cached} runs`,
    `cache of ${small.cached}, same replays`,
    small.rss,
    large.rss,
    {
      unit: 'MB',
      note: `≈ ${perRun.toFixed(0)} KB per cached run: the default cache of ${cacheSize} runs holds ≈ ${((perRun * cacheSize) / 1024).toFixed(0)} MB`,
    },
  );
  report(
    `worker RSS, V8 old space capped at ${HEAP_CAP_MB} MB`,
    `uncapped, same cache and replays`,
    small.rss,
    capped.rss,
    {
      unit: 'MB',
    },
  );
}

type Memory = { rss: number; heap: number; cached: number };
