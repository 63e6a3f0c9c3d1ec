import type { EffectRun } from '../../engine/activity-contracts.js';
import type { Effect, EffectOutcome } from '../../engine/interpreter/types.js';
import type { Db } from '../db/database.js';

/** One step's effect as its deliverer sees it: which run, which step (stable across retries), what to do. */
export interface EffectStep<E extends Effect = Effect> {
  workflowId: string;
  runId: string;
  /** The activity id: stable across retries of one step, so deliverers key their records by it. */
  stepKey: string;
  /** 1 on the first try; a deliverer uses it to tell a retry (a record may already be there) from a first try. */
  attempt: number;
  /**
   * No retry follows this attempt: a deliverer records a temporary failure as final. The activity works it out
   * from its own retry policy (activities/playbook/perform-effect.ts).
   */
  lastAttempt: boolean;
  /** Tells Temporal the attempt is alive and making progress (unset outside an activity). */
  heartbeat?: () => void;
  /**
   * Whether Temporal has given up on this attempt (its heartbeat timed out while it was still alive, or the run was
   * cancelled): such an attempt must not start an SMTP transaction, since a newer attempt may be settling the row.
   */
  givenUp?: () => boolean;
  effect: E;
  run?: EffectRun;
}

export type Deliverer<E extends Effect> = ((step: EffectStep<E>) => Promise<EffectOutcome | void>) & {
  /**
   * The deliverer writes the step log itself (stepLogRow) in the same statement as its own first record, a commit
   * fewer per step (the email outbox); it writes it on every way out that does not throw.
   */
  logsStep?: true;
};

/** Who delivers each kind of effect; a kind without a deliverer is only recorded in the step log (a goal). */
export type Deliverers = { [K in Effect['kind']]?: Deliverer<Extract<Effect, { kind: K }>> };

/**
 * Records a run's side effect in its step log, once, then hands it to the deliverer of its kind. The step key is
 * stable across retries of one step, so a retried or re-delivered attempt finds its row, and each deliverer keys
 * its own records (outbox, tasks) by it to do nothing twice. A deliverer marked `logsStep` writes the step log
 * itself, with its first record; if it throws on the last attempt, the log is written here.
 */
export async function performEffect(
  deps: { db: Db; deliver: Deliverers },
  input: Omit<EffectStep, 'lastAttempt'> & { lastAttempt?: boolean },
): Promise<EffectOutcome | void> {
  const step: EffectStep = { ...input, lastAttempt: input.lastAttempt ?? false };
  const { attempt, lastAttempt, effect } = step;
  const deliver = deps.deliver[effect.kind] as Deliverer<Effect> | undefined;
  if (!deliver?.logsStep) await logStep(deps.db, step);
  if (!deliver) return;
  try {
    return await deliver(step);
  } catch (error) {
    // Out of retries: the step fails with the reason and the run goes on (or down its failure route).
    if (!lastAttempt) throw error;
    if (deliver.logsStep) await logStep(deps.db, step);
    return { status: 'failed', detail: `gave up after ${attempt} attempts: ${(error as Error).message}` };
  }
}

/** The step log's row of a step: written once per step key, whatever the retries. */
export function stepLogRow(step: Pick<EffectStep, 'workflowId' | 'runId' | 'stepKey' | 'effect'>) {
  return {
    workflow_id: step.workflowId,
    run_id: step.runId,
    step_key: step.stepKey,
    node_id: step.effect.nodeId,
    kind: step.effect.kind,
    effect: JSON.stringify(step.effect),
  };
}

/** Records the step in its run's step log, once (a retry finds the row). */
export async function logStep(db: Db, step: Pick<EffectStep, 'workflowId' | 'runId' | 'stepKey' | 'effect'>) {
  await db
    .insertInto('run_steps')
    .values(stepLogRow(step))
    .onConflict((oc) => oc.columns(['workflow_id', 'run_id', 'step_key']).doNothing())
    .execute();
}
