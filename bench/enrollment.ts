import type { KyselyPlugin } from 'kysely';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import type { RunInput } from '../engine/interpreter/types.js';
import {
  accountAttribute,
  nodeAttribute,
  playbookKeyAttribute,
  statusAttribute,
  versionAttribute,
} from '../engine/search-attributes.js';
import { accountWorkflowId } from '../engine/workflows/account-signals.js';
import { accountSnapshot } from '../server/accounts/store.js';
import type { Db } from '../server/db/database.js';
import { enroll } from '../server/playbooks/runs.js';
import { compiledVersion, enrollableVersion, findPlaybook } from '../server/playbooks/store.js';
import { bounded, importAccounts, post, publishSleeper, startBenchStack, type BenchStack } from './bench-stack.js';
import { startLoadGenerator, type LoadGenerator } from './load/client.js';
import { median, note, report, startBench } from './measure.js';
import { noteRowSizes } from './row-sizes.js';

// Enrolling through the API (POST /api/playbooks/:id/enrollments) and through an event (POST /api/events, the
// account's workflow matching a trigger) against the least it could cost: `client.workflow.start` of the same
// workflow with the same input, on the same dev server. Rounds of 150 starts, 8 in flight, alternating the three
// ways. The playbook's run goes to sleep at once, so what is measured is enrolling, not running.
const PER_ROUND = 150;
// Through events each enrollment is a chain of workflow tasks and activities on this same machine, an order of
// magnitude slower: fewer a round keep the bench inside its time, and rates compare all the same.
const PER_EVENTS_ROUND = 30;
const IN_FLIGHT = 8;
const ROUNDS = 2;
const BREAKDOWN = 30;
/** Events one at a time, each timed from the POST to its run's start, interleaved with raw starts. */
const EVENT_LATENCY = 12;

type Way = 'raw' | 'api' | 'events';

export async function benchEnrollment(): Promise<void> {
  startBench('enrollment', `${PER_ROUND} enrollments a round, ${IN_FLIGHT} in flight, ${ROUNDS} alternating rounds`);
  const bench = await startBenchStack();
  const load = await startLoadGenerator();
  try {
    await run(bench, load);
  } finally {
    load.close();
    await bench.stack.close();
  }
}

async function run(bench: BenchStack, load: LoadGenerator): Promise<void> {
  const { context } = bench.stack;
  const db = context.database.db;
  const client = context.temporal;
  const taskQueue = context.config.TEMPORAL_TASK_QUEUE;
  await publishSleeper(bench, 'bench-enroll');
  await publishSleeper(bench, 'bench-events', 'bench.signup');
  const ir = await compiledVersion(db, await findPlaybook(db, 'bench-enroll'));
  const accounts = await importAccounts(
    bench,
    'enroll',
    (ROUNDS + 1) * (2 * PER_ROUND + PER_EVENTS_ROUND) + 2 * BREAKDOWN + 2 * EVENT_LATENCY,
  );
  let taken = 0;
  const take = (n: number) => accounts.slice(taken, (taken += n));

  // The baseline's inputs are read before its clock starts: it is only the start call the product makes.
  const rawStart = async (account: RunInput['account']) => {
    await client.workflow.start('playbookRunWorkflow', {
      taskQueue,
      workflowId: `bench-raw:${account.id}`,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ playbook: ir, account } satisfies RunInput],
      typedSearchAttributes: [
        { key: playbookKeyAttribute, value: ir.key },
        { key: versionAttribute, value: ir.version },
        { key: accountAttribute, value: account.id },
        { key: nodeAttribute, value: ir.startNodeId },
        { key: statusAttribute, value: 'running' },
      ],
    });
  };
  const enrollUrl = `${bench.apiUrl}/api/playbooks/bench-enroll/enrollments`;
  const eventsUrl = `${bench.apiUrl}/api/events`;
  let eventRuns = 0;
  let lastEventAccount = '';
  const eventRunsStarted = () => client.workflow.count(`StayflowPlaybook = 'bench-events'`).then((c) => c.count);

  const roundOf = async (way: Way): Promise<{ ms: number; count: number; latencies: number[] }> => {
    if (way === 'raw') {
      const snapshots = await Promise.all(take(PER_ROUND).map((id) => accountSnapshot(db, id)));
      const t0 = performance.now();
      const latencies = await bounded(PER_ROUND, IN_FLIGHT, (i) => rawStart(snapshots[i]!));
      return { ms: performance.now() - t0, count: PER_ROUND, latencies };
    }
    if (way === 'api') {
      const requests = take(PER_ROUND).map((accountId) => ({ url: enrollUrl, body: { accountId } }));
      const result = await load.run({
        kind: 'closed',
        requests,
        headers: bench.headers,
        inFlight: IN_FLIGHT,
        expect: 201,
      });
      return { ms: result.elapsedMs, count: PER_ROUND, latencies: result.latencies };
    }
    // Through events the enrollment happens after the answer (202), in the account's workflow: the clock stops
    // when every run has started (counted in Temporal's visibility, polled every 50 ms).
    const t0 = performance.now();
    const ids = take(PER_EVENTS_ROUND);
    lastEventAccount = ids[0]!;
    const requests = ids.map((accountId) => ({
      url: eventsUrl,
      body: { accountId, name: 'bench.signup' },
    }));
    const result = await load.run({
      kind: 'closed',
      requests,
      headers: bench.headers,
      inFlight: IN_FLIGHT,
      expect: 202,
    });
    eventRuns += PER_EVENTS_ROUND;
    const deadline = performance.now() + 120_000;
    while ((await eventRunsStarted()) < eventRuns) {
      if (performance.now() > deadline) throw new Error('runs enrolled through events did not all start in 2 min');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { ms: performance.now() - t0, count: PER_EVENTS_ROUND, latencies: result.latencies };
  };

  // A first round of each, unmeasured: connections, JIT, PGlite's caches, the account workflows' code.
  const ways: Way[] = ['raw', 'api', 'events'];
  // Milliseconds per enrollment, one figure per round.
  const rounds = new Map<Way, number[]>(ways.map((w) => [w, []]));
  const latencies = new Map<Way, number[]>(ways.map((w) => [w, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    const order = ways.map((_, i) => ways[(i + round) % ways.length]!);
    for (const way of order) {
      const { ms, count, latencies: l } = await roundOf(way);
      if (round === 0) continue;
      rounds.get(way)!.push(ms / count);
      latencies.get(way)!.push(...l);
    }
  }
  const rate = (way: Way) => 1000 / median(rounds.get(way)!);
  const raw = median(rounds.get('raw')!);
  note(
    `starts per second: raw ${rate('raw').toFixed(0)}, API ${rate('api').toFixed(0)}, events ${rate('events').toFixed(0)}; ` +
      `median request: raw ${median(latencies.get('raw')!).toFixed(1)} ms, API ${median(latencies.get('api')!).toFixed(1)} ms, events POST ${median(latencies.get('events')!).toFixed(1)} ms`,
  );
  for (const way of ['api', 'events'] as const) {
    const measured = median(rounds.get(way)!);
    const what = `enrollment rate through ${way === 'api' ? 'the API' : 'events'}, ms each`;
    report(what, 'raw workflow.start', raw, measured, {
      ratio: raw / measured,
      target: { text: 'rate ≥ 0.9× raw', met: (r) => r >= 0.9 },
      note: 'ratio = raw time / measured time: the share of the raw start rate reached',
    });
  }
  await breakdown(bench, take(2 * BREAKDOWN), rawStart);
  const quietAccount = await eventLatency(bench, take(2 * EVENT_LATENCY), rawStart);
  await eventsPath(bench, lastEventAccount, 'in a round, 8 in flight');
  await eventsPath(bench, quietAccount, 'one at a time');
  await noteRowSizes(db, ['account_events', 'account_health', 'accounts', 'playbook_versions']);
}

/** Where one enrollment's time goes: the same steps as the route, one at a time, with the database calls counted. */
async function breakdown(
  bench: BenchStack,
  ids: string[],
  rawStart: (account: RunInput['account']) => Promise<void>,
): Promise<void> {
  const { context } = bench.stack;
  let queries = 0;
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      queries++;
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  const db: Db = context.database.db.withPlugin(counting);
  const enrollUrl = `${bench.apiUrl}/api/playbooks/bench-enroll/enrollments`;
  const phases = {
    playbook: [] as number[],
    account: [] as number[],
    start: [] as number[],
    api: [] as number[],
    raw: [] as number[],
  };
  const count = { playbook: 0, account: 0 };
  const half = ids.length / 2;
  // Interleaved, one account at a time, the three in a rotating order (so none always follows the same one): the
  // route's steps in-process, the same through HTTP, a raw start.
  for (let i = 0; i < half; i++) {
    const inProcess = async () => {
      let t0 = performance.now();
      let q = queries;
      // As the route reads it: the playbook's row, the compiled version from memory once read.
      const ir = await enrollableVersion(db, 'bench-enroll');
      phases.playbook.push(performance.now() - t0);
      count.playbook += queries - q;
      t0 = performance.now();
      q = queries;
      const account = await accountSnapshot(db, ids[i]!);
      phases.account.push(performance.now() - t0);
      count.account += queries - q;
      t0 = performance.now();
      // With the database, as the route's context has it: the account's calendar settings are read too.
      await enroll({ temporal: context.temporal, config: context.config, db }, ir, account);
      phases.start.push(performance.now() - t0);
    };
    const overHttp = async () => {
      const t0 = performance.now();
      await post(enrollUrl, bench.headers, { accountId: ids[half + i] }, 201);
      phases.api.push(performance.now() - t0);
    };
    const raw = async () => {
      const snapshot = await accountSnapshot(db, ids[half + i]!);
      const t0 = performance.now();
      await rawStart(snapshot);
      phases.raw.push(performance.now() - t0);
    };
    const steps = [inProcess, overHttp, raw];
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
  }
  const m = (xs: number[]) => median(xs);
  const inRoute = m(phases.playbook) + m(phases.account) + m(phases.start);
  note(
    `one enrollment at a time (median): API ${m(phases.api).toFixed(1)} ms = playbook reads ${m(phases.playbook).toFixed(1)} ms ` +
      `(${(count.playbook / half).toFixed(0)} queries) + account read ${m(phases.account).toFixed(1)} ms (${(count.account / half).toFixed(0)} queries) ` +
      `+ enroll() ${m(phases.start).toFixed(1)} ms (raw start ${m(phases.raw).toFixed(1)} ms) + HTTP, token check, validation ${(m(phases.api) - inRoute).toFixed(1)} ms`,
  );
  report('one API enrollment, sequential', 'one raw workflow.start', m(phases.raw), m(phases.api), {
    note: 'latency with nothing else in flight; the breakdown above says where the difference goes',
  });
}

/**
 * One event at a time, from `POST /api/events` to its run's start (the playbook enrolls once, so the run's workflow
 * id is known and polled every 5 ms), against one raw start: the latency of the account workflow's chain of tasks,
 * which the rate above, measured with the machine saturated, blurs.
 */
async function eventLatency(
  bench: BenchStack,
  ids: string[],
  rawStart: (account: RunInput['account']) => Promise<void>,
): Promise<string> {
  const { context } = bench.stack;
  const eventsUrl = `${bench.apiUrl}/api/events`;
  const event: number[] = [];
  const raw: number[] = [];
  const half = ids.length / 2;
  for (let i = 0; i < half; i++) {
    const snapshot = await accountSnapshot(context.database.db, ids[half + i]!);
    let t0 = performance.now();
    await rawStart(snapshot);
    raw.push(performance.now() - t0);
    const accountId = ids[i]!;
    const run = context.temporal.workflow.getHandle(`playbook:bench-events:account:${accountId}`);
    t0 = performance.now();
    await post(eventsUrl, bench.headers, { accountId, name: 'bench.signup' }, 202);
    const deadline = t0 + 60_000;
    for (;;) {
      const started = await run.describe().then(
        () => true,
        () => false,
      );
      if (started) break;
      if (performance.now() > deadline) throw new Error(`the run of ${accountId} did not start in 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    event.push(performance.now() - t0);
  }
  report(
    'one event enrollment, sequential (POST → run started)',
    'one raw workflow.start',
    median(raw),
    median(event),
    {
      note: 'latency with nothing else in flight: the ingestion, then the account workflow up to its enrollAccount',
    },
  );
  return ids[half - 1]!;
}

/** What enrolling through an event costs inside Temporal: the account workflow's history for one such account. */
async function eventsPath(bench: BenchStack, accountId: string, how: string): Promise<void> {
  const handle = bench.stack.context.temporal.workflow.getHandle(accountWorkflowId(accountId));
  // The whole message, not only up to the run's start: until nothing is pending (10 s at most).
  for (const deadline = performance.now() + 10_000; performance.now() < deadline;) {
    const { raw } = await handle.describe();
    if (!raw.pendingActivities?.length && !raw.pendingWorkflowTask) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const history = await handle.fetchHistory();
  const activities = new Map<string, number>();
  const locals = new Map<string, number>();
  let tasks = 0;
  let signals = 0;
  // Where the time went: each workflow task's wait in the queue and its run (local activities run inside it), each
  // scheduled activity from scheduled to completed, in milliseconds.
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0;
  const timeline: string[] = [];
  let taskScheduled = 0;
  let taskStarted = 0;
  let activityScheduled = 0;
  for (const event of history.events ?? []) {
    const at = ms(event.eventTime);
    if (event.workflowTaskScheduledEventAttributes) taskScheduled = at;
    if (event.workflowTaskStartedEventAttributes) taskStarted = at;
    if (event.workflowTaskCompletedEventAttributes)
      timeline.push(`task ${(taskStarted - taskScheduled).toFixed(0)}+${(at - taskStarted).toFixed(0)}`);
    if (event.activityTaskScheduledEventAttributes) activityScheduled = at;
    if (event.activityTaskCompletedEventAttributes) timeline.push(`activity ${(at - activityScheduled).toFixed(0)}`);
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) activities.set(name, (activities.get(name) ?? 0) + 1);
    const local = localActivityType(event.markerRecordedEventAttributes);
    if (local) locals.set(local, (locals.get(local) ?? 0) + 1);
    if (event.workflowTaskCompletedEventAttributes) tasks++;
    if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) signals++;
  }
  const list = (counts: Map<string, number>) =>
    [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ') || 'none';
  note(
    `one event-triggered enrollment (${how}), in the account's workflow: ${history.events?.length ?? 0} history ` +
      `events, ${tasks} workflow tasks, one after another; activities: ${list(activities)}; local activities (no ` +
      `round trip to the server): ${list(locals)}; ${signals} signal(s) to runs; ms (task: queued+ran): ` +
      timeline.join(', '),
  );
}

/** A local activity's type, from its marker (the SDK records its result as JSON in the marker's `data`). */
function localActivityType(marker: { markerName?: string | null; details?: unknown } | null | undefined) {
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const details = marker.details as Record<string, { payloads?: { data?: Uint8Array | null }[] | null }> | undefined;
  const data = details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type;
  } catch {
    return undefined;
  }
}
