import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { approvalValueProblems, decidedValues, type ApprovalValues } from '../../engine/approvals/values.js';
import { decideApprovalUpdate } from '../../engine/workflows/playbook-signals.js';
import { recordAudit } from '../audit/log.js';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { DomainError } from '../errors.js';
import { alreadyDecided, findApproval, recordDecision, type Approval } from './store.js';
import { ENGINE_PROBE_MS, engineUnavailable, isEngineUnavailable } from './engine-unavailable.js';
import { ensureEngineReachable } from '../temporal/reachable.js';

export interface ApprovalDecisionInput {
  decision: 'approved' | 'rejected';
  /** Edits of the approval's parameters; unset ones keep their default. */
  values?: ApprovalValues;
  reason?: string;
}

/** How a decision names who made it: the person's email, or the API token's name. */
export const deciderOf = (principal: Principal) =>
  principal.kind === 'user' ? principal.email : `token '${principal.name}'`;

/**
 * A person's decision on a stored approval. The run decides which decision wins — its validated update accepts the
 * first and refuses every later one with who decided first — and only then is the decision recorded here. Refused,
 * with nothing changed: an approval already decided, timed out or withdrawn, or whose run has ended (conflict);
 * values out of bounds or not among its parameters (unprocessable, naming the bound).
 */
export async function decideApproval(
  ctx: Pick<AppContext, 'database' | 'temporal'>,
  id: string,
  input: ApprovalDecisionInput,
  decidedBy: Principal,
  request: { ip?: string | null } = {},
): Promise<Approval> {
  const db = ctx.database.db;
  const approval = await findApproval(db, id);
  if (approval.status !== 'pending') throw alreadyDecided(approval);
  const problems = approvalValueProblems(approval.parameters, input.values ?? {});
  if (problems.length > 0) {
    throw new DomainError(
      'unprocessable',
      'value_out_of_bounds',
      problems.length === 1
        ? problems[0]!.message
        : `${problems.length} values cannot be used: ${problems.map((p) => p.message).join('; ')}`,
      problems.map((p) => ({ path: `values.${p.name}`, code: p.code, message: p.message })),
    );
  }
  // A run that has ended takes no update (and a server may not say so promptly): ask it first. Temporal out of
  // reach answers 503 in about three seconds (the probe), with nothing recorded (the run did not take the decision).
  let ended: DomainError | undefined;
  try {
    await ensureEngineReachable(ctx.temporal);
    ended = await ctx.temporal.withDeadline(Date.now() + ENGINE_PROBE_MS, () => runEnded(ctx, approval));
  } catch (error) {
    if (isEngineUnavailable(error)) throw engineUnavailable(`the decision on approval ${id}`);
    throw error;
  }
  if (ended) throw ended;
  const by = deciderOf(decidedBy);
  const handle = ctx.temporal.workflow.getHandle(approval.run.workflowId, approval.run.runId);
  let decidedAt: string;
  try {
    const answer = await handle.executeUpdate(decideApprovalUpdate, {
      args: [
        {
          nodeId: approval.run.nodeId,
          decision: input.decision,
          decidedBy: by,
          ...(input.values && { values: input.values }),
          ...(input.reason && { reason: input.reason }),
        },
      ],
    });
    decidedAt = answer?.decidedAt ?? new Date().toISOString();
  } catch (error) {
    throw await refusal(ctx, approval, error);
  }
  const recorded = await recordDecision(
    db,
    { id },
    {
      status: input.decision,
      decidedBy: by,
      decidedAt,
      values: decidedValues(approval.parameters, input.decision, input.values),
      reason: input.reason ?? null,
    },
    // The decision the run accepted, and the edits, as this person made them.
    (tx, decided) =>
      recordAudit(tx, {
        actor: decidedBy,
        action: 'approval.decided',
        target: { kind: 'approval', id },
        detail: {
          decision: input.decision,
          values: decided.values,
          edits: decided.edits ?? {},
          ...(input.reason && { reason: input.reason }),
          run: approval.run,
          decidedAt,
        },
        ip: request.ip,
      }),
  );
  return recorded!;
}

/** Why the run refused the decision, as a domain error; a run that has ended also withdraws the approval. */
async function refusal(ctx: Pick<AppContext, 'database' | 'temporal'>, approval: Approval, error: unknown) {
  const reason =
    error instanceof WorkflowUpdateFailedError ? (error.cause as { message?: string } | undefined)?.message : undefined;
  if (reason?.startsWith('already decided by')) {
    return new DomainError('conflict', 'already_decided', `Approval ${approval.id} was ${reason}`);
  }
  if (isEngineUnavailable(error)) return engineUnavailable(`the decision on approval ${approval.id}`);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    // No worker answered in time (all stopped, or busy). The run may still take it once one does — and then records
    // it itself — so a second try is answered "already decided" rather than deciding twice.
    return new DomainError(
      'unavailable',
      'run_unavailable',
      `The run of approval ${approval.id} did not answer in time; look at the approval again before deciding again`,
    );
  }
  if (!(error instanceof WorkflowUpdateFailedError) && !(error instanceof WorkflowNotFoundError)) return error;
  // Not waiting at the step: either the run has ended (the inbox learns it now) or it moved on a moment ago.
  const ended = await runEnded(ctx, approval);
  if (ended) return ended;
  const now = await findApproval(ctx.database.db, approval.id);
  if (now.status !== 'pending') return alreadyDecided(now);
  return new DomainError(
    'conflict',
    'not_waiting',
    `Approval ${approval.id} cannot be decided now: ${reason ?? 'the run is not waiting for it'}`,
  );
}

/**
 * The refusal for a decision on an approval whose run has ended, having withdrawn the approval (a run that is
 * terminated, or gone, could not do so itself); undefined while the run is running.
 */
async function runEnded(ctx: Pick<AppContext, 'database' | 'temporal'>, approval: Approval) {
  let status: string | undefined;
  try {
    status = (await ctx.temporal.workflow.getHandle(approval.run.workflowId, approval.run.runId).describe()).status
      .name;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  if (status === 'RUNNING') return undefined;
  const ended = status ? status.toLowerCase().replace(/_/g, ' ') : 'gone';
  const withdrawn = await recordDecision(
    ctx.database.db,
    { id: approval.id },
    {
      status: 'withdrawn',
      decidedBy: null,
      decidedAt: new Date().toISOString(),
      values: approval.values,
      reason: `the run has ended (${ended})`,
    },
  );
  // The run may have recorded its own ending first (a timeout, a decision, a cancellation): that is the answer then.
  if (withdrawn && withdrawn.status !== 'withdrawn') return alreadyDecided(withdrawn);
  if (withdrawn?.decision?.reason !== `the run has ended (${ended})`) return alreadyDecided(withdrawn ?? approval);
  return new DomainError(
    'conflict',
    'run_ended',
    `Approval ${approval.id} cannot be decided: its run has ended (${ended})`,
  );
}
