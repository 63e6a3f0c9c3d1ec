import { Context } from '@temporalio/activity';
import type { PlaybookActivities } from '../../engine/activity-contracts.js';
import type { Db } from '../../server/db/database.js';

/**
 * Records each side effect of a run in its step log, once: the activity id is stable across retries of one step,
 * so a retried or re-delivered activity finds its row and does nothing twice. Delivery of the effect itself
 * (email, CSM task, webhook) builds on this log.
 */
export function playbookActivities(deps: { db: Db }): PlaybookActivities {
  return {
    async performEffect({ workflowId, runId, effect }) {
      const { activityId } = Context.current().info;
      await deps.db
        .insertInto('run_steps')
        .values({
          workflow_id: workflowId,
          run_id: runId,
          step_key: activityId,
          node_id: effect.nodeId,
          kind: effect.kind,
          effect: JSON.stringify(effect),
        })
        .onConflict((oc) => oc.columns(['workflow_id', 'run_id', 'step_key']).doNothing())
        .execute();
    },
  };
}
