import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { EffectStep } from './perform.js';

export type AttemptEnd = 'done' | 'retrying' | 'failed' | 'skipped';

/**
 * The record of one step's delivery attempts (`effect_deliveries`): each attempt is written as `sending` before
 * anything leaves and closed with its outcome after, so a row left `sending` tells a later attempt that a worker
 * stopped mid-delivery and the effect may have gone out.
 */
export function deliveryLog(db: Db, step: EffectStep, kind: string, target: string) {
  const key = { workflow_id: step.workflowId, run_id: step.runId, step_key: step.stepKey };
  return {
    /** Attempts of this step recorded so far (before this one starts: the earlier ones), oldest first. */
    async earlier() {
      return db
        .selectFrom('effect_deliveries')
        .select(['attempt', 'status', 'detail', 'http_status'])
        .where('workflow_id', '=', key.workflow_id)
        .where('run_id', '=', key.run_id)
        .where('step_key', '=', key.step_key)
        .orderBy('attempt')
        .execute();
    },
    async start(): Promise<void> {
      await db
        .insertInto('effect_deliveries')
        .values({ ...key, attempt: step.attempt, kind, target, status: 'sending' })
        // A re-delivered activity task with the same attempt number starts its record over.
        .onConflict((oc) =>
          oc
            .columns(['workflow_id', 'run_id', 'step_key', 'attempt'])
            .doUpdateSet({ status: 'sending', detail: null, http_status: null, finished_at: null }),
        )
        .execute();
    },
    async finish(status: AttemptEnd, detail: string, httpStatus?: number): Promise<void> {
      await db
        .updateTable('effect_deliveries')
        .set({ status, detail, http_status: httpStatus ?? null, finished_at: sql<Date>`now()` })
        .where('workflow_id', '=', key.workflow_id)
        .where('run_id', '=', key.run_id)
        .where('step_key', '=', key.step_key)
        .where('attempt', '=', step.attempt)
        .execute();
    },
  };
}

/** Every attempt recorded for one run's steps, oldest first: what the run's deliveries look like to an operator. */
export async function deliveriesOfRun(db: Db, workflowId: string) {
  const rows = await db
    .selectFrom('effect_deliveries')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('started_at')
    .orderBy('attempt')
    .execute();
  return rows.map((r) => ({
    runId: r.run_id,
    stepKey: r.step_key,
    attempt: r.attempt,
    kind: r.kind,
    target: r.target,
    status: r.status,
    httpStatus: r.http_status,
    detail: r.detail,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  }));
}
