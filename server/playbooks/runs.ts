import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { DateTime } from 'luxon';
import type { RunInput, RunResult, RunTrigger, TimelineEntry } from '../../engine/interpreter/types.js';
import { catchUpStart } from '../../engine/triggers/catch-up.js';
import { enrollmentIdentity, type EnrollmentAccount } from '../../engine/playbook/enrollment.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { describeDuration } from '../../engine/playbook/durations.js';
import { addDuration } from '../../engine/time/calendar.js';
import {
  accountAttribute,
  nodeAttribute,
  playbookKeyAttribute,
  statusAttribute,
  versionAttribute,
} from '../../engine/search-attributes.js';
import {
  positionQuery,
  skipWaitUpdate,
  timelineQuery,
  type RunPosition,
} from '../../engine/workflows/playbook-signals.js';
import { DomainError, notFound, isDomainError } from '../errors.js';
import type { AppContext } from '../context.js';
import { parseRunId } from './run-id.js';
import { runWords } from './run-words.js';
import { isUuid } from '../db/uuid.js';
import { engineUnavailable, isEngineUnavailable } from '../approvals/engine-unavailable.js';
import { ensureEngineReachable } from '../temporal/reachable.js';
import { runSettingsFor } from '../settings/run-settings.js';
import type { Db } from '../db/database.js';

const WORKFLOW_TYPE = 'playbookRunWorkflow';

/** What starting a run needs: the API and the account's entity workflow (through an activity) both enroll. */
export type EnrollContext = Pick<AppContext, 'temporal'> & {
  config: Pick<AppContext['config'], 'TEMPORAL_TASK_QUEUE'>;
  /** Where the install's calendars are read (the activity's `db`, the API's `database`); neither: engine defaults. */
  db?: Db;
  database?: Pick<AppContext['database'], 'db'>;
};

/**
 * "Every time, with a cooldown": the newest run of this playbook for the account must have started at least the
 * cooldown ago. Read from Temporal visibility, which lags starts by a moment: two enrollments within that moment
 * can both pass (the policies without cooldown are enforced by workflow ids instead, with no such window).
 */
async function checkCooldown(ctx: EnrollContext, playbook: CompiledPlaybook, account: EnrollmentAccount) {
  if (playbook.enrollment.mode !== 'everyTime' || !playbook.enrollment.cooldown) return;
  let latest: Date | undefined;
  const query = runsQuery({ playbook: playbook.key, account: account.id });
  for await (const info of ctx.temporal.workflow.list({ query, pageSize: 100 })) {
    if (!latest || info.startTime > latest) latest = info.startTime;
  }
  if (!latest) return;
  const ends = addDuration(latest.toISOString(), playbook.enrollment.cooldown, account.timeZone);
  if (Date.parse(ends.at) > Date.now()) {
    throw new DomainError(
      'conflict',
      'cooling_down',
      `Account ${account.id} was enrolled in '${playbook.key}' at ${latest.toISOString()}; it can be enrolled again after ${ends.at} (cooldown ${describeDuration(playbook.enrollment.cooldown)})`,
    );
  }
}

export async function enroll(
  ctx: EnrollContext,
  playbook: CompiledPlaybook,
  account: EnrollmentAccount,
  reason?: string,
  /** What enrolled the account (trigger.* in the run); absent: a person enrolled it. */
  trigger: RunTrigger = { type: 'manual' },
) {
  await checkCooldown(ctx, playbook, account);
  const identity = enrollmentIdentity(playbook.key, account.id, playbook.enrollment, randomUUID());
  // A date-relative playbook takes a late account at the step its catch-up policy says, or refuses it.
  const today = DateTime.now().setZone(account.timeZone).toISODate()!;
  const start = catchUpStart(playbook, account.fields, today, reason);
  if (!start.ok) {
    throw new DomainError(
      'conflict',
      'catch_up_refused',
      `Account ${account.id} is not enrolled in '${playbook.key}': ${start.why}`,
    );
  }
  // The calendar and send window the run keeps, resolved as the preview resolves them (server/settings).
  const settings = await runSettingsFor(ctx.db ?? ctx.database?.db, account);
  const input: RunInput = {
    playbook: start.playbook,
    account,
    ...(start.reason && { reason: start.reason }),
    trigger,
    ...(settings && { settings }),
  };
  try {
    const handle = await ctx.temporal.workflow.start(WORKFLOW_TYPE, {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: identity.workflowId,
      workflowIdReusePolicy: identity.idReusePolicy,
      workflowIdConflictPolicy: identity.idConflictPolicy,
      args: [input],
      typedSearchAttributes: [
        { key: playbookKeyAttribute, value: playbook.key },
        { key: versionAttribute, value: playbook.version },
        { key: accountAttribute, value: account.id },
        { key: nodeAttribute, value: playbook.startNodeId },
        { key: statusAttribute, value: 'running' },
      ],
    });
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, version: playbook.version };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      const why =
        playbook.enrollment.mode === 'once'
          ? 'this playbook enrolls an account only once'
          : 'this playbook runs one enrollment at a time';
      throw new DomainError(
        'conflict',
        'already_enrolled',
        `Account ${account.id} is already enrolled in '${playbook.key}' (${why})`,
      );
    }
    throw error;
  }
}

export interface RunFilters {
  playbook?: string;
  version?: number;
  account?: string;
  node?: string;
  status?: string;
}

const EXECUTION_STATUS: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
};

/** Temporal visibility query for the filters; values are validated upstream and quoted here. */
export function runsQuery(filters: RunFilters): string {
  const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const clauses = [`WorkflowType = ${quote(WORKFLOW_TYPE)}`];
  if (filters.playbook) clauses.push(`StayflowPlaybook = ${quote(filters.playbook)}`);
  if (filters.version !== undefined) clauses.push(`StayflowVersion = ${filters.version}`);
  if (filters.account) clauses.push(`StayflowAccount = ${quote(filters.account)}`);
  if (filters.node) clauses.push(`StayflowNode = ${quote(filters.node)}`);
  if (filters.status) {
    const execution = EXECUTION_STATUS[filters.status];
    if (filters.status === 'completed') {
      // An exit completes the workflow too; the list shows such a run as `exited`, so `completed` leaves it out.
      clauses.push(`ExecutionStatus = 'Completed'`, `StayflowStatus != 'exited'`, `StayflowStatus != 'failed'`);
    } else if (filters.status === 'failed') {
      // A step that failed with no failure route ends the run (completed as far as Temporal knows) as failed.
      clauses.push(`(ExecutionStatus = 'Failed' OR StayflowStatus = 'failed')`);
    } else if (execution) clauses.push(`ExecutionStatus = ${quote(execution)}`);
    else if (filters.status === 'exited') clauses.push(`StayflowStatus = 'exited'`);
    // A run cancelled while it waited keeps its last waiting status: only a running run is waiting now.
    else clauses.push(`StayflowStatus = ${quote(filters.status)}`, `ExecutionStatus = 'Running'`);
  }
  return clauses.join(' AND ');
}

/** A run as the runs list shows it, from its visibility record. */
export function runSummary(info: Omit<WorkflowExecutionInfo, 'raw'>) {
  const sa = info.typedSearchAttributes;
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    playbook: sa.get(playbookKeyAttribute) ?? null,
    version: sa.get(versionAttribute) ?? null,
    account: sa.get(accountAttribute) ?? null,
    node: sa.get(nodeAttribute) ?? null,
    // A run that ended by an exit criterion (or a failed step) completed as far as Temporal knows; its own status
    // says it exited (or failed).
    status:
      info.status.name === 'RUNNING' || sa.get(statusAttribute) === 'exited' || sa.get(statusAttribute) === 'failed'
        ? (sa.get(statusAttribute) ?? 'running')
        : info.status.name.toLowerCase(),
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString() ?? null,
  };
}

export async function listRuns(ctx: AppContext, filters: RunFilters, limit: number) {
  const items = [];
  for await (const info of ctx.temporal.workflow.list({ query: runsQuery(filters), pageSize: Math.min(limit, 100) })) {
    items.push(runSummary(info));
    if (items.length >= limit) break;
  }
  return items;
}

/** Runs of one account that are still going, with their playbook (Temporal visibility). */
export async function activeRunsOf(ctx: Pick<AppContext, 'temporal'>, accountId: string) {
  const runs: { workflowId: string; playbookKey: string }[] = [];
  const query = `${runsQuery({ account: accountId })} AND ExecutionStatus = 'Running'`;
  for await (const info of ctx.temporal.workflow.list({ query, pageSize: 100 })) {
    const playbookKey = info.typedSearchAttributes.get(playbookKeyAttribute);
    if (playbookKey) runs.push({ workflowId: info.workflowId, playbookKey });
  }
  return runs;
}

/** The runs API acts on playbook runs only: another workflow's id (an account's, a sweep's) is not found. */
function playbookRun(ctx: Pick<AppContext, 'temporal'>, workflowId: string) {
  if (!parseRunId(workflowId)) throw notFound(`Run ${workflowId}`);
  return ctx.temporal.workflow.getHandle(workflowId);
}

export async function runDetail(ctx: AppContext, workflowId: string) {
  const handle = playbookRun(ctx, workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`Run ${workflowId}`);
    throw error;
  }
  const running = description.status.name === 'RUNNING';
  let timeline: TimelineEntry[] = [];
  let position: RunPosition | null = null;
  if (running) {
    [timeline, position] = await Promise.all([handle.query(timelineQuery), handle.query(positionQuery)]);
  } else if (description.status.name === 'COMPLETED') {
    timeline = ((await handle.result()) as RunResult).timeline;
  }
  const summary = runSummary(description);
  // The step it stands at now, by its own answer (the listed `node` may trail it by a step).
  const [[words], account] = await Promise.all([
    runWords(ctx.database.db, [{ ...summary, node: position?.nodeId ?? summary.node }]),
    summary.account && isUuid(summary.account)
      ? ctx.database.db.selectFrom('accounts').select('name').where('id', '=', summary.account).executeTakeFirst()
      : undefined,
  ]);
  return {
    ...summary,
    ...words!,
    accountName: account?.name ?? null,
    position,
    timeline,
    temporalUiUrl: ctx.temporalUiUrl
      ? `${ctx.temporalUiUrl}/namespaces/${ctx.config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}/${description.runId}/history`
      : null,
  };
}

export async function cancelRun(ctx: AppContext, workflowId: string): Promise<void> {
  // An id that names no playbook run is a 404 whether or not Temporal is there.
  if (!parseRunId(workflowId)) throw notFound(`Run ${workflowId}`);
  await engineReachable(ctx, `cancelling run ${workflowId}`);
  return cancelReachedRun(ctx, workflowId);
}

async function cancelReachedRun(ctx: AppContext, workflowId: string): Promise<void> {
  const handle = playbookRun(ctx, workflowId);
  try {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING')
      throw new DomainError(
        'conflict',
        'not_running',
        `Run ${workflowId} is not running (it is ${status.name.toLowerCase()})`,
      );
    await handle.cancel();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`Run ${workflowId}`);
    throw error;
  }
}

/** In-flight runs of one version by the step they stand on: what publishing a new version would leave behind. */
export async function impactOf(ctx: AppContext, playbookKey: string, version: number) {
  const byNode: Record<string, number> = {};
  let total = 0;
  for await (const info of ctx.temporal.workflow.list({
    query: runsQuery({ playbook: playbookKey, version, status: 'running' }),
  })) {
    const node = info.typedSearchAttributes.get(nodeAttribute) ?? 'unknown';
    byNode[node] = (byNode[node] ?? 0) + 1;
    total++;
    if (total >= 10_000) break;
  }
  return { version, inFlight: total, byNode };
}

/** Ends the wait (timer or event) a run stands on now; refused, with the reason, when it is not waiting on one. */
export async function skipWait(ctx: AppContext, workflowId: string, requestedBy: string): Promise<void> {
  if (!parseRunId(workflowId)) throw notFound(`Run ${workflowId}`);
  await engineReachable(ctx, `skipping the wait of run ${workflowId}`);
  return skipReachedWait(ctx, workflowId, requestedBy);
}

function skipReachedWait(ctx: AppContext, workflowId: string, requestedBy: string): Promise<void> {
  return updateRun(ctx, workflowId, (handle) => handle.executeUpdate(skipWaitUpdate, { args: [{ requestedBy }] }));
}

/** Temporal out of reach answers 503 in about three seconds (server/temporal/reachable.ts), with nothing changed. */
async function engineReachable(ctx: Pick<AppContext, 'temporal'>, what: string): Promise<void> {
  try {
    await ensureEngineReachable(ctx.temporal);
  } catch (error) {
    if (isEngineUnavailable(error)) throw engineUnavailable(what);
    throw error;
  }
}

// Updates are validated inside the workflow; a refusal arrives as the failure's cause and becomes a 409.
async function updateRun(
  ctx: AppContext,
  workflowId: string,
  send: (handle: ReturnType<AppContext['temporal']['workflow']['getHandle']>) => Promise<unknown>,
): Promise<void> {
  const handle = playbookRun(ctx, workflowId);
  try {
    await send(handle);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`Run ${workflowId}`);
    // Temporal out of reach is no refusal by the run: 503, nothing changed.
    if (isEngineUnavailable(error)) throw engineUnavailable(`the change to run ${workflowId}`);
    const reason = (error as { cause?: { message?: string } }).cause?.message;
    if (reason) throw new DomainError('conflict', 'not_waiting', reason);
    throw error;
  }
}

/** Applies one action to a selection of runs; each run answers for itself, one failure does not stop the rest. */
export async function bulkAction(ctx: AppContext, action: 'cancel' | 'skipWait', workflowIds: string[]) {
  // Asked once for the whole selection: Temporal out of reach is one 503 for all, not ≈ 20 s for each run.
  await engineReachable(
    ctx,
    `${action === 'cancel' ? 'cancelling' : 'skipping the waits of'} ${workflowIds.length} run(s)`,
  );
  const results = [];
  for (const workflowId of workflowIds) {
    try {
      if (action === 'cancel') await cancelReachedRun(ctx, workflowId);
      else await skipReachedWait(ctx, workflowId, 'bulk action');
      results.push({ workflowId, ok: true, error: null });
    } catch (error) {
      results.push({
        workflowId,
        ok: false,
        error: isDomainError(error) ? error.message : 'failed; see the server log',
      });
    }
  }
  return results;
}
