import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { MigrationPlan, MigrationRequest } from '../../engine/playbook/migration-request.js';
import { planNodeMap, runMove } from '../../engine/playbook/migration.js';
import { accountAttribute, nodeAttribute } from '../../engine/search-attributes.js';
import {
  migrateRunUpdate,
  migrationProgressQuery,
  type MigrateRunResult,
  type MigrateRunsInput,
  type MigrateRunsProgress,
} from '../../engine/workflows/run-migration.js';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../audit/log.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';
import { runsQuery } from './runs.js';
import { compiledVersion, findPlaybook } from './store.js';

// Moving running accounts from one published version to a newer one — explicitly, never by publishing: a dry run
// lists every run's position before and after and refuses what cannot move; the move itself is a durable batch
// (engine/workflows/migrate-runs.ts) in which each run takes the request at its next step boundary. Runs not
// moved stay pinned to their version.

/** A migration's batch is a workflow of its own; its id carries the playbook so the status route can check it. */
const batchId = (playbookKey: string, migrationId: string) => `migration:${playbookKey}:${migrationId}`;
/** One migration moves at most this many runs; more are moved by running it again. */
const MAX_RUNS = 10_000;

export async function planMigration(
  ctx: AppContext,
  playbookRef: string,
  request: MigrationRequest,
): Promise<MigrationPlan> {
  const db = ctx.database.db;
  const playbook = await findPlaybook(db, playbookRef);
  const to = request.to ?? playbook.currentVersion ?? 0;
  if (to <= request.from) {
    throw new DomainError(
      'unprocessable',
      'not_newer',
      `Runs move only to a newer version: version ${to} is not newer than version ${request.from}`,
    );
  }
  const [fromIr, toIr] = await Promise.all([
    compiledVersion(db, playbook, request.from),
    compiledVersion(db, playbook, to),
  ]);
  const mapping = planNodeMap(fromIr, toIr, request.nodeMap);
  const runs: MigrationPlan['runs'] = [];
  for await (const info of ctx.temporal.workflow.list({
    query: runsQuery({ playbook: playbook.key, version: request.from, status: 'running' }),
    pageSize: 500,
  })) {
    const nodeId = info.typedSearchAttributes.get(nodeAttribute) ?? fromIr.startNodeId;
    const move = runMove(fromIr, toIr, mapping.map, nodeId);
    runs.push({
      workflowId: info.workflowId,
      accountId: info.typedSearchAttributes.get(accountAttribute) ?? null,
      accountName: null,
      before: { nodeId, label: move.label },
      after: move.movesTo ?? null,
      refused: move.refused ?? null,
    });
    if (runs.length >= MAX_RUNS) break;
  }
  // Names for the dry run's list: a CS person knows the customer, not the account's id.
  const ids = [...new Set(runs.map((r) => r.accountId).filter((id): id is string => id !== null))];
  const names = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom('accounts').select(['id', 'name']).where('id', 'in', ids).execute()).map((a) => [
          a.id,
          a.name,
        ]),
  );
  for (const run of runs) run.accountName = (run.accountId && names.get(run.accountId)) || null;
  const refused = runs.filter((r) => r.refused).length;
  return {
    playbook: playbook.key,
    from: request.from,
    to,
    nodeMap: mapping.map,
    how: mapping.how,
    problems: mapping.problems,
    runs,
    movable: runs.length - refused,
    refused,
  };
}

/** Starts the batch after the same checks as the dry run; refused (422) while any step is unmapped. */
export async function startMigration(
  ctx: AppContext,
  playbookRef: string,
  request: MigrationRequest,
  by: Principal,
  ip: string | null,
) {
  const plan = await planMigration(ctx, playbookRef, request);
  if (plan.problems.length > 0) {
    throw new DomainError(
      'unprocessable',
      'unmapped_steps',
      `${plan.problems.length} step${plan.problems.length === 1 ? '' : 's'} of version ${plan.from} map to nothing in version ${plan.to}; map ${plan.problems.length === 1 ? 'it' : 'them'} and try again — ${plan.problems[0]!.message}`,
      plan.problems.map((p) => ({ path: `nodeMap.${p.nodeId}`, code: 'unmapped_step', message: p.message })),
    );
  }
  const movable = plan.runs.filter((r) => !r.refused).map((r) => r.workflowId);
  if (movable.length === 0) {
    throw new DomainError(
      'conflict',
      'nothing_to_move',
      `No running account of '${plan.playbook}' version ${plan.from} can move to version ${plan.to}${plan.refused ? ` (${plan.refused} refused: see the dry run)` : ''}`,
    );
  }
  const migrationId = randomUUID();
  const requestedBy = by.kind === 'user' ? by.email : `token '${by.name}'`;
  const input: MigrateRunsInput = {
    migrationId,
    playbookKey: plan.playbook,
    fromVersion: plan.from,
    toVersion: plan.to,
    workflowIds: movable,
    nodeMap: plan.nodeMap,
    requestedBy,
  };
  await ctx.temporal.workflow.start('migrateRunsWorkflow', {
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowId: batchId(plan.playbook, migrationId),
    args: [input],
  });
  await recordAudit(ctx.database.db, {
    actor: by,
    action: 'playbook.migration_started',
    target: { kind: 'playbook', id: plan.playbook },
    detail: {
      migrationId,
      from: plan.from,
      to: plan.to,
      runs: movable.length,
      refused: plan.refused,
      nodeMap: plan.nodeMap,
    },
    ip,
  });
  return {
    migrationId,
    playbook: plan.playbook,
    from: plan.from,
    to: plan.to,
    runs: movable.length,
    refused: plan.refused,
  };
}

export async function migrationProgress(ctx: AppContext, playbookRef: string, migrationId: string) {
  const playbook = await findPlaybook(ctx.database.db, playbookRef);
  const handle = ctx.temporal.workflow.getHandle(batchId(playbook.key, migrationId));
  try {
    const { status } = await handle.describe();
    const progress: MigrateRunsProgress =
      status.name === 'RUNNING'
        ? await handle.query(migrationProgressQuery)
        : status.name === 'COMPLETED'
          ? await handle.result()
          : { total: 0, results: [] };
    const state = status.name === 'RUNNING' ? 'running' : status.name === 'COMPLETED' ? 'completed' : 'failed';
    return { migrationId, status: state, ...progress } as const;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`Migration ${migrationId} of '${playbook.key}'`);
    throw error;
  }
}

/** The batch's one step per run: asks the run to move; a run that ended or refuses is an outcome, not an error. */
export async function askRunToMigrate(
  ctx: Pick<AppContext, 'temporal'>,
  playbook: CompiledPlaybook,
  request: MigrateRunsInput & { workflowId: string },
): Promise<MigrateRunResult> {
  const handle = ctx.temporal.workflow.getHandle(request.workflowId);
  try {
    const answer = await handle.executeUpdate(migrateRunUpdate, {
      args: [
        {
          migrationId: request.migrationId,
          playbook,
          nodeMap: request.nodeMap,
          requestedBy: request.requestedBy,
        },
      ],
    });
    return {
      workflowId: request.workflowId,
      outcome: 'moving',
      detail: `at step ${answer.nodeId} of version ${answer.fromVersion}; continues in version ${answer.toVersion} when that step ends`,
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      return { workflowId: request.workflowId, outcome: 'ended', detail: 'the run ended before it was asked' };
    if (error instanceof WorkflowUpdateFailedError) {
      const reason = (error.cause as { message?: string } | undefined)?.message ?? error.message;
      return { workflowId: request.workflowId, outcome: 'refused', detail: reason };
    }
    throw error;
  }
}

/** The newer version's IR, read once per batch rather than once per run (a published version never changes). */
export function targetVersionReader(db: Db) {
  const read = new Map<string, Promise<CompiledPlaybook>>();
  return (key: string, version: number) => {
    const id = `${key}@${version}`;
    let ir = read.get(id);
    if (!ir) {
      ir = findPlaybook(db, key).then((playbook) => compiledVersion(db, playbook, version));
      ir.catch(() => read.delete(id));
      read.set(id, ir);
    }
    return ir;
  };
}

/** The audit log's entry for a finished batch: how many moved, and each run's outcome. */
export async function recordMigrationDone(db: Db, request: MigrateRunsInput & { results: MigrateRunResult[] }) {
  const count = (outcome: MigrateRunResult['outcome']) => request.results.filter((r) => r.outcome === outcome).length;
  await recordAudit(db, {
    actor: { kind: 'system', name: `migration asked by ${request.requestedBy}` },
    action: 'playbook.migration_done',
    target: { kind: 'playbook', id: request.playbookKey },
    detail: {
      migrationId: request.migrationId,
      from: request.fromVersion,
      to: request.toVersion,
      moving: count('moving'),
      refused: count('refused'),
      ended: count('ended'),
      results: request.results.slice(0, 500),
    },
  });
}
