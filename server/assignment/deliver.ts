import type { AssignOwnerEffect, EffectOutcome } from '../../engine/interpreter/types.js';
import { assignmentProblems } from '../../engine/playbook/assign-owner.js';
import type { Db } from '../db/database.js';
import { isUuid } from '../db/uuid.js';
import { deliveryLog } from '../effects/deliveries.js';
import type { Deliverer } from '../effects/perform.js';
import { isDomainError } from '../errors.js';
import { assignOwner } from './assign.js';

/**
 * assignOwner steps, as performEffect hands them over: one call into the assignment domain, keyed by the step (the
 * activity id, stable across retries), with the attempt in the run's delivery log. An account not stored is
 * `skipped`; a CSM or team that is not there is `failed` (the step's failure route); anything else is retried.
 */
export function assignOwnerDeliverer(deps: { db: Db }): Deliverer<AssignOwnerEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect } = step;
    const accountId = step.run?.accountId ?? '';
    const target = effect.owner.kind === 'csm' ? effect.owner.email : `team ${effect.owner.team}`;
    const log = deliveryLog(deps.db, step, 'assignOwner', `${accountId || '(unknown)'} → ${target}`);
    await log.start();
    const notStored = async () => {
      const detail = assignmentProblems.notStored(accountId || '(unknown)');
      await log.finish('skipped', detail);
      return { status: 'skipped' as const, detail };
    };
    // An account described inline (a hand enrollment of an unstored profile) has nobody to own it.
    if (!isUuid(accountId)) return notStored();
    try {
      const result = await assignOwner(deps.db, {
        workflowId: step.workflowId,
        runId: step.runId,
        stepKey: step.stepKey,
        nodeId: effect.nodeId,
        accountId,
        owner: effect.owner,
        onlyIfUnowned: effect.onlyIfUnowned,
        basis: effect.basis,
        ...(step.run && { playbook: { key: step.run.playbookKey, version: step.run.version } }),
      });
      await log.finish(result.status, result.detail);
      return { status: result.status, detail: result.detail };
    } catch (error) {
      if (isDomainError(error, 'not_found')) return notStored();
      if (isDomainError(error) && error.kind !== 'unavailable') {
        await log.finish('failed', error.message);
        return { status: 'failed', detail: error.message };
      }
      await log.finish('retrying', error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
}
