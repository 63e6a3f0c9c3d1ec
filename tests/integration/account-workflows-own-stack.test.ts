import type { NativeConnection, Worker, WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { accountStateQuery, accountWorkflowId } from '../../engine/workflows/account-signals.js';
import { createToken } from '../../server/auth/tokens.js';
import type { LoadedConfig } from '../../server/config.js';
import { startStack, type Stack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { connectWorkerConnection, temporalTarget } from '../../server/temporal/connection.js';
import { bundleWorkflows, createWorker } from '../../server/temporal/worker.js';
import {
  api,
  newAccount,
  postEvents,
  publish,
  publishRescues,
  runOf,
  runsOf,
  runUntil,
  useStack,
} from '../support/rescue-playbooks.js';
import { testConfig, testLogger } from '../support/test-config.js';
import { until } from '../support/until.js';

// Two things that touch every account or the worker itself, so they get a stack of their own (the lane's shared
// one has other files' accounts and must keep its worker): a new scorecard version re-scores every account through
// Temporal, and events posted while the worker restarts are all applied, once, in order.

let config: LoadedConfig;
let bundle: WorkflowBundle;
let stack: Stack;
const replacement: { worker?: Worker; running?: Promise<void>; connection?: NativeConnection } = {};

beforeAll(async () => {
  bundle = await bundleWorkflows();
  config = await testConfig();
  stack = await startStack(config, {
    logger: testLogger(),
    temporalCliPath: temporalCliPath(),
    workflowBundle: bundle,
  });
  const token = await createToken(stack.context.database.db, { name: 'own stack: events', scopes: ['events:write'] });
  useStack(stack.apiUrl!, token.secret);
}, 180_000);

afterAll(async () => {
  if (replacement.worker?.getState() === 'RUNNING') replacement.worker.shutdown();
  await replacement.running?.catch(() => undefined);
  await replacement.connection?.close();
  await stack?.close();
}, 60_000);

describe('a new scorecard version', () => {
  it('re-scores every account through Temporal, and a level entered under it starts that rescue with the score, level and version', async () => {
    const { keys } = await publishRescues(`rescore-${Date.now()}`);
    const current = (await api('GET', '/api/scorecard')).body as { version: number; definition: { points: object } };
    // NPS 5 alone: 30 points (low). NPS 5 and CES 4: 45 (low). No events: 0 (none).
    const one = await newAccount('Rescore One');
    const two = await newAccount('Rescore Two');
    const quiet = await newAccount('Rescore Quiet');
    await postEvents(one.externalId, [{ name: 'nps.answered', data: { score: 5 } }]);
    await postEvents(two.externalId, [
      { name: 'nps.answered', data: { score: 5 } },
      { name: 'ces.answered', data: { score: 4 } },
    ]);
    const lowOne = await runOf(one.id, keys.low);
    await runOf(two.id, keys.low);

    // High-class signals now weigh 80: one is at exactly 80 (high: the boundary), two at 95.
    const saved = await api('PUT', '/api/scorecard', {
      ...current.definition,
      points: { high: 80, medium: 15, low: 5 },
    });
    expect(saved.status).toBe(201);
    const version = current.version + 1;
    expect(saved.body).toMatchObject({ version, rescoreWorkflowId: `scorecard-rescore:v${version}` });
    const result = await stack.context.temporal.workflow.getHandle(saved.body.rescoreWorkflowId).result();
    // All three scored under the new version; only the two whose score moved hear of it.
    expect(result).toEqual({ scored: 3, notified: 2 });

    const highOne = await runOf(one.id, keys.high);
    const detail = await runUntil(highOne.workflowId, 'the high rescue to start', (d) => d.timeline.length > 0);
    expect(detail.timeline[0]!.why).toContain(
      `risk level entered high (was low): risk score 80 under scorecard version ${version}`,
    );
    const highTwo = await runOf(two.id, keys.high);
    const detailTwo = await runUntil(highTwo.workflowId, 'the second high rescue', (d) => d.timeline.length > 0);
    expect(detailTwo.timeline[0]!.why).toContain(`risk score 95 under scorecard version ${version}`);
    const superseded = await runUntil(lowOne.workflowId, 'the low rescue to end', (d) => d.status === 'exited');
    expect(superseded.timeline.at(-1)!.summary).toBe(`Exited: Superseded by Rescue high ${keys.high}`);

    // Every account was scored under the new version, the quiet one too (and it enrolled in nothing).
    const quietHealth = await until('the quiet account to be re-scored', async () => {
      const latest = (await api('GET', `/api/accounts/${quiet.id}/health`)).body.latest;
      return latest?.scorecardVersion === version ? latest : undefined;
    });
    expect(quietHealth).toMatchObject({ riskScore: 0, riskLevel: 'none' });
    for (const key of Object.values(keys)) expect(await runsOf(quiet.id, key)).toEqual([]);
  });
});

describe('events racing a worker restart', () => {
  it('are all applied, exactly once and in seq order, and a duplicated POST counts once', async () => {
    const key = `race-${Date.now()}`;
    // Every ping enrolls (every time, no cooldown), so each applied event leaves one decision and one run.
    await publish({
      schemaVersion: 1,
      key,
      name: 'Race ping',
      triggers: [{ type: 'event', event: 'race.ping' }],
      enrollment: { mode: 'everyTime' },
      exit: [],
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    });
    const account = await newAccount('Race Co');
    const ping = (n: number) => ({ name: 'race.ping', data: { n }, idempotencyKey: `ping-${n}` });
    await postEvents(account.externalId, [ping(1)]);
    const entity = stack.context.temporal.workflow.getHandle(accountWorkflowId(account.id));
    await until('the entity to apply the first event', async () =>
      (await entity.query(accountStateQuery)).appliedSeq === 1 ? true : undefined,
    );

    // Batches keep coming while the worker stops and a new one starts; one batch lands while no worker runs.
    let sent = 1;
    const sendBatch = async () => {
      const batch = [1, 2, 3].map(() => ping(++sent));
      await postEvents(account.externalId, batch);
    };
    const posting = (async () => {
      for (let i = 0; i < 6; i++) await sendBatch();
    })();
    const old = stack.worker!;
    old.shutdown();
    await until('the worker to stop', async () => (old.getState() === 'STOPPED' ? true : undefined), 60_000);
    await posting;
    await sendBatch(); // while no worker polls
    const restarting = (async () => {
      replacement.connection = await connectWorkerConnection(await temporalTarget(config, stack.devServer!.address));
      replacement.worker = await createWorker({
        connection: replacement.connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        activities: createActivities(stack.activityDeps!),
        maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
        workflowBundle: bundle,
      });
      replacement.running = replacement.worker.run();
    })();
    for (let i = 0; i < 3; i++) await sendBatch();
    await restarting;

    // The same POST again (same idempotency keys): reported duplicate, not stored or applied again.
    const again = await postEvents(account.externalId, [ping(sent - 1), ping(sent)]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });

    const total = sent;
    const state = await until(
      'every event to be applied',
      async () => {
        const s = await entity.query(accountStateQuery);
        return s.appliedSeq === total && s.pending === 0 ? s : undefined;
      },
      90_000,
    );
    const seqs = state.decisions.filter((d) => d.playbookKey === key).map((d) => d.eventSeq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(state.decisions.every((d) => d.started)).toBe(true);
    // One run per event, no more (visibility lags a little behind the starts).
    const runs = await until(
      'every run to be listed',
      async () => {
        const items = (await api('GET', `/api/runs?account=${account.id}&playbook=${key}&limit=500`)).body.items;
        return items.length >= total ? items : undefined;
      },
      60_000,
    );
    expect(runs).toHaveLength(total);
    // Each event's seq is its n: the events were stored in the order they were posted.
    const stored = (await api('GET', `/api/accounts/${account.id}/events?limit=500`)).body.items as {
      seq: number;
      data: { n: number };
    }[];
    expect(stored.map((e) => [e.seq, e.data.n]).sort((a, b) => a[0]! - b[0]!)).toEqual(
      Array.from({ length: total }, (_, i) => [i + 1, i + 1]),
    );
    // Its own stack, a worker stopped and replaced, 31 events and their runs: on a loaded 2-core machine (two CI
    // runs side by side) this took over the lane's default 60 s.
  }, 180_000);
});
