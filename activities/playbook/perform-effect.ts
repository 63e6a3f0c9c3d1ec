import { Context } from '@temporalio/activity';
import { EFFECT_RETRY, type PlaybookActivities } from '../../engine/activity-contracts.js';
import type { Db } from '../../server/db/database.js';
import { performEffect, type Deliverers } from '../../server/effects/perform.js';

/** How often a running effect tells Temporal it is alive; the SDK throttles below the heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Whether no retry follows this attempt, from the retry policy Temporal gave this very activity (a workflow may
 * change it); the shared EFFECT_RETRY only stands in for a server that does not say.
 */
export function isLastAttempt(info: Pick<Context['info'], 'attempt' | 'retryPolicy'>): boolean {
  const maximum = info.retryPolicy ? info.retryPolicy.maximumAttempts : EFFECT_RETRY.maximumAttempts;
  // 0 or unset in a policy Temporal sent: unlimited attempts, so none is the last.
  return maximum !== undefined && maximum > 0 && info.attempt >= maximum;
}

/**
 * The run's effect activity: the step key is the activity id, stable across retries of one step. It heartbeats
 * while it works, so a worker that dies mid-step is noticed within the heartbeat timeout (seconds), not at the
 * start-to-close timeout, and the next attempt settles what the dead one left.
 */
export function playbookActivities(deps: { db: Db; deliver: Deliverers }): PlaybookActivities {
  return {
    async performEffect({ workflowId, runId, effect, run }) {
      const context = Context.current();
      const { activityId, attempt } = context.info;
      const beat = () => context.heartbeat();
      beat();
      const alive = setInterval(beat, HEARTBEAT_EVERY_MS);
      try {
        return await performEffect(deps, {
          workflowId,
          runId,
          stepKey: activityId,
          attempt,
          lastAttempt: isLastAttempt(context.info),
          heartbeat: beat,
          givenUp: () => context.cancellationSignal.aborted,
          effect,
          run,
        });
      } finally {
        clearInterval(alive);
      }
    },
  };
}
