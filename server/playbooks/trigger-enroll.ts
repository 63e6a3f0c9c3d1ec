import type { RunTrigger } from '../../engine/interpreter/types.js';
import { accountConditionFields } from '../accounts/condition-fields.js';
import type { Db } from '../db/database.js';
import { isDomainError } from '../errors.js';
import { enroll, type EnrollContext } from './runs.js';
import { enrollableVersion } from './store.js';

export type TriggerEnrollment =
  { started: true; workflowId: string; version: number } | { started: false; reason: string };

/**
 * Enrolls an account in a playbook's current version because a trigger matched. Already enrolled, cooling down,
 * unpublished since: a decision to record (started: false, with why), not a failure to retry.
 */
export async function enrollOnTrigger(
  deps: { db: Db } & EnrollContext,
  accountId: string,
  playbookKey: string,
  reason: string,
  trigger?: RunTrigger,
): Promise<TriggerEnrollment> {
  try {
    const ir = await enrollableVersion(deps.db, playbookKey);
    // With its health fields, so the run's branches and exit criteria see the score that started it.
    const run = await enroll(deps, ir, await accountConditionFields(deps.db, accountId), reason, trigger);
    return { started: true, workflowId: run.workflowId, version: run.version };
  } catch (error) {
    if (isDomainError(error) && error.kind !== 'unavailable') return { started: false, reason: error.message };
    throw error;
  }
}
