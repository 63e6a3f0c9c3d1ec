import type {
  AccountEntityActivities,
  MigrationActivities,
  PlaybookActivities,
  StayflowActivities,
  SweepActivities,
} from '../engine/activity-contracts.js';
import { accountEntityActivities } from './accounts/entity.js';
import { sweepActivities } from './accounts/sweep.js';
import { systemEmailActivities } from './system-email.js';
import { effectDeliverers, type EffectDeps } from '../server/effects/deliverers.js';
import { migrationActivities } from './playbook/migrate-runs.js';
import { playbookActivities } from './playbook/perform-effect.js';

/** What the worker's activities need: the effect deliverers' dependencies (one set, see server/effects). */
export type ActivityDeps = EffectDeps;

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(
  deps: ActivityDeps,
): StayflowActivities & PlaybookActivities & AccountEntityActivities & SweepActivities & MigrationActivities {
  return {
    ...accountEntityActivities({
      db: deps.db,
      temporal: deps.temporal,
      config: { TEMPORAL_TASK_QUEUE: deps.taskQueue },
    }),
    ...sweepActivities({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue }),
    ...systemEmailActivities({ transport: deps.transport, from: deps.mailFrom }),
    ...playbookActivities({ db: deps.db, deliver: effectDeliverers(deps) }),
    ...migrationActivities({ db: deps.db, temporal: deps.temporal }),
  };
}
