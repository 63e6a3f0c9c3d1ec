import type { Client } from '@temporalio/client';
import type { Effect, EffectOutcome } from '../../engine/interpreter/types.js';
import { accountConditionFields } from '../accounts/condition-fields.js';
import type { Db } from '../db/database.js';
import type { Deliverer } from '../effects/perform.js';
import { deliveryLog } from '../effects/deliveries.js';
import { isDomainError } from '../errors.js';
import { enroll } from './runs.js';
import { enrollableVersion } from './store.js';

type StartPlaybookEffect = Extract<Effect, { kind: 'startPlaybook' }>;

/** What the other playbook's enrollment policy may answer: a decision to record, not a failure. */
const REFUSALS = new Set(['already_enrolled', 'cooling_down', 'catch_up_refused']);

/**
 * startPlaybook steps: enroll the run's account in another playbook's current version, under that playbook's own
 * enrollment policy. A refusal (already enrolled, cooling down) is `skipped` with the policy's reason; a playbook
 * that does not exist or is not published is `failed` (the step's failure route, if it has one). The attempt log,
 * keyed by the step, makes a retried attempt answer what the first one did instead of enrolling twice.
 */
export function startPlaybookDeliverer(deps: {
  db: Db;
  temporal: Client;
  taskQueue: string;
}): Deliverer<StartPlaybookEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect } = step;
    const accountId = step.run?.accountId;
    const log = deliveryLog(deps.db, step, 'startPlaybook', `${accountId ?? '(unknown)'} → ${effect.playbook}`);
    const earlier = (await log.earlier()).find((attempt) => attempt.status === 'done' || attempt.status === 'skipped');
    if (earlier) return { status: earlier.status as 'done' | 'skipped', detail: earlier.detail ?? '' };
    await log.start();
    const end = async (outcome: EffectOutcome & { detail: string }) => {
      await log.finish(outcome.status, outcome.detail);
      return outcome;
    };
    let account;
    try {
      account = await accountConditionFields(deps.db, accountId ?? '');
    } catch (error) {
      if (!isDomainError(error, 'not_found')) throw error;
      return end({
        status: 'skipped',
        detail: `account ${accountId ?? '(unknown)'} is not stored: no playbook started`,
      });
    }
    try {
      const version = await enrollableVersion(deps.db, effect.playbook);
      const trigger = { type: 'playbook' as const, playbook: step.run?.playbookKey ?? '', workflowId: step.workflowId };
      const ctx = { db: deps.db, temporal: deps.temporal, config: { TEMPORAL_TASK_QUEUE: deps.taskQueue } };
      const run = await enroll(ctx, version, account, effect.reason, trigger);
      return end({ status: 'done', detail: `started ${run.workflowId} (version ${run.version})` });
    } catch (error) {
      if (!isDomainError(error) || error.kind === 'unavailable') {
        await log.finish('retrying', error instanceof Error ? error.message : String(error));
        throw error;
      }
      return end({ status: REFUSALS.has(error.code) ? 'skipped' : 'failed', detail: error.message });
    }
  };
}
