import { readFileSync } from 'node:fs';
import type { TypedSearchAttributes } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { EffectOutcome, RunInput, RunResult } from '../engine/interpreter/types.js';
import { compilePlaybook } from '../engine/playbook/compile.js';
import proto from '@temporalio/proto';
import {
  allSearchAttributes,
  accountAttribute,
  nodeAttribute,
  playbookKeyAttribute,
  statusAttribute,
  versionAttribute,
} from '../engine/search-attributes.js';
import { benchBundlePath } from './bundle.js';
import { median, note, report, startBench } from './measure.js';
import { startTimeSkipping } from './time-skipping.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

// The interpreter against the same onboarding written by hand as a Temporal workflow, on the time-skipping test
// server: history events per run, and wall time for a batch of runs. Both call one activity that does nothing, so
// what differs is the workflow code — walking the IR, the timeline, the queries and signals it keeps ready — and
// its input (the whole compiled playbook). Rounds alternate between the kinds so load elsewhere hits each alike.
const ROUNDS = 4;
const BATCH = 8;
const TASK_QUEUE = 'bench-interpreter';

type Kind = 'hand' | 'interpreter' | 'listed';

export async function benchInterpreter(): Promise<void> {
  startBench(
    'interpreter',
    `onboarding-30d, ${BATCH} runs a batch, ${ROUNDS} alternating rounds, time-skipping server`,
  );
  const compiled = compilePlaybook(JSON.parse(readFileSync('playbooks/seed/onboarding-30d.json', 'utf8')));
  if (!compiled.ok) throw new Error(`onboarding-30d does not compile: ${JSON.stringify(compiled.issues)}`);
  const playbook = { ...compiled.playbook, version: 1 };
  const env = await startTimeSkipping();
  // The test server cannot list search attributes (the product's ensureSearchAttributes asks first): add them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      allSearchAttributes.map((key) => [
        key.name,
        key.type === 'INT' ? IndexedValueType.INDEXED_VALUE_TYPE_INT : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: await benchBundlePath() },
    activities: { performEffect: (): Promise<EffectOutcome> => Promise.resolve({ status: 'done' }) },
  });
  const running = worker.run();
  let serial = 0;
  const start = (kind: Kind) => {
    const workflowId = `bench-${kind}-${++serial}`;
    const account = { id: workflowId, timeZone: 'UTC', fields: { segment: 'high-touch' } };
    if (kind === 'hand') {
      return env.client.workflow.start('handWrittenOnboardingWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ accountId: account.id, segment: 'high-touch' }],
      });
    }
    const input: RunInput = { playbook, account };
    // As the server starts a run: listed by playbook, version and account, then kept current by node and status.
    const typedSearchAttributes: TypedSearchAttributes | undefined =
      kind === 'listed'
        ? ([
            { key: playbookKeyAttribute, value: playbook.key },
            { key: versionAttribute, value: playbook.version },
            { key: accountAttribute, value: account.id },
            { key: nodeAttribute, value: playbook.startNodeId },
            { key: statusAttribute, value: 'running' },
          ] as unknown as TypedSearchAttributes)
        : undefined;
    return env.client.workflow.start('playbookRunWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [input],
      ...(typedSearchAttributes && { typedSearchAttributes }),
    });
  };

  /**
   * Moves the test server's clock to the next Monday 10:00 UTC. Each batch skips ~4 weeks ahead, and a plan depends
   * on the weekday it starts (send windows, "next Monday"): every batch starting at the same weekday and hour runs
   * the same plan, so the kinds are compared on the same steps and timers.
   */
  const toMonday10 = async () => {
    const now = await env.currentTimeMs();
    const day = new Date(now);
    let target = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 10);
    while (new Date(target).getUTCDay() !== 1 || target <= now) target += 86_400_000;
    await env.sleep(target - now);
  };
  /**
   * Starts every run of a batch, then awaits the results one after the other. Each awaited result lets the test
   * server skip time until it returns; awaiting several at once unlocks the skipping once per call, which lets
   * time jump while workflow tasks and activities are still running (they then expire and are retried).
   */
  const runBatch = async (kind: Kind, size: number) => {
    await toMonday10();
    const handles = await Promise.all(Array.from({ length: size }, () => start(kind)));
    const results: (RunResult | { endedAt: number })[] = [];
    for (const handle of handles) results.push((await handle.result()) as RunResult | { endedAt: number });
    return { handles, results };
  };

  const kinds: Kind[] = ['hand', 'interpreter', 'listed'];
  const wall = new Map<Kind, number[]>(kinds.map((k) => [k, []]));
  const events = new Map<Kind, number>();
  const span = new Map<Kind, number>();
  const bytes = new Map<Kind, number>();
  const tasks = new Map<Kind, number>();
  try {
    // One unmeasured batch of each warms the worker's caches and the JIT.
    for (const kind of kinds) await runBatch(kind, 2);
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of round % 2 ? [...kinds].reverse() : kinds) {
        const t0 = performance.now();
        const { handles, results } = await runBatch(kind, BATCH);
        wall.get(kind)!.push(performance.now() - t0);
        const history = await handles[0]!.fetchHistory();
        events.set(kind, history.events?.length ?? 0);
        bytes.set(kind, proto.temporal.api.history.v1.History.encode(history).finish().length);
        tasks.set(kind, (history.events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes).length);
        const first = history.events?.[0]?.eventTime;
        const startedAt = first?.seconds ? Number(first.seconds) * 1000 : 0;
        const ended = results[0]!.endedAt;
        span.set(kind, (typeof ended === 'number' ? ended : Date.parse(ended)) - startedAt);
      }
    }
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
  const days = (kind: Kind) => (span.get(kind)! / 86_400_000).toFixed(2);
  note(`each run spans ${days('hand')} days by hand, ${days('interpreter')} interpreted (same plan when equal)`);
  const hand = median(wall.get('hand')!);
  const perSecond = (kind: Kind) => ((tasks.get(kind)! * BATCH) / median(wall.get(kind)!)) * 1000;
  note(
    `workflow tasks per run: ${tasks.get('hand')} by hand, ${tasks.get('interpreter')} interpreted; one in-process worker ` +
      `completed ${perSecond('hand').toFixed(0)} (hand) and ${perSecond('interpreter').toFixed(0)} (interpreter) workflow tasks a second`,
  );
  report(
    'history events per run: interpreter',
    'hand-written workflow',
    events.get('hand')!,
    events.get('interpreter')!,
    {
      unit: 'events',
      target: { text: '≤ 1.05×', met: (r) => r <= 1.05 },
    },
  );
  report(
    'history events per run: interpreter, listed',
    'hand-written workflow',
    events.get('hand')!,
    events.get('listed')!,
    {
      unit: 'events',
      target: { text: '≤ 1.05×', met: (r) => r <= 1.05 },
      note: 'as the server starts runs: search attributes kept current at every wait (listing by step and status)',
    },
  );
  report(
    'history bytes per run: interpreter, listed',
    'hand-written workflow',
    bytes.get('hand')!,
    bytes.get('listed')!,
    {
      unit: 'bytes',
      note: 'the input carries the whole compiled playbook, and every effect its node and run: what Temporal stores',
    },
  );
  report(`wall time, ${BATCH} runs: interpreter`, 'hand-written workflow', hand, median(wall.get('interpreter')!), {
    target: { text: '≤ 1.10×', met: (r) => r <= 1.1 },
  });
  report(`wall time, ${BATCH} runs: interpreter, listed`, 'hand-written workflow', hand, median(wall.get('listed')!), {
    target: { text: '≤ 1.10×', met: (r) => r <= 1.1 },
  });
}
