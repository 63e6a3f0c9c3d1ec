import { Context } from '@temporalio/activity';
import type { PlaybookActivities } from '../../engine/activity-contracts.js';
import type { Db } from '../../server/db/database.js';
import { performEffect, type Deliverers } from '../../server/effects/perform.js';

/** The run's effect activity: the step key is the activity id, stable across retries of one step. */
export function playbookActivities(deps: { db: Db; deliver: Deliverers }): PlaybookActivities {
  return {
    async performEffect({ workflowId, runId, effect, run }) {
      const { activityId, attempt } = Context.current().info;
      return performEffect(deps, { workflowId, runId, stepKey: activityId, attempt, effect, run });
    },
  };
}
