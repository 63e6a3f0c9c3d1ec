import type { Account } from '../../engine/accounts/schema.js';
import type { Effect, EffectOutcome } from '../../engine/interpreter/types.js';
import { storedAccount } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { createTaskForStep } from '../tasks/store.js';
import type { Deliverer } from './perform.js';

type TaskEffect = Extract<Effect, { kind: 'task' }>;

/** Who a task goes to, from the account record; no address still makes the task, unassigned, with the reason. */
export function assigneeFor(
  effect: Pick<TaskEffect, 'assignee'>,
  account: Pick<Account, 'name' | 'ownerCsmEmail' | 'csmManagerEmail'> | undefined,
  accountId: string | undefined,
): { email: string | null; note: string | null } {
  const role = effect.assignee === 'ownerCsm' ? 'owner CSM' : 'CSM manager';
  if (!account) {
    return {
      email: null,
      note: `unassigned: account ${accountId ?? '(unknown)'} is not stored, so it names no ${role}`,
    };
  }
  const email = effect.assignee === 'ownerCsm' ? account.ownerCsmEmail : account.csmManagerEmail;
  if (email) return { email, note: null };
  const field = effect.assignee === 'ownerCsm' ? 'ownerCsmEmail' : 'csmManagerEmail';
  return { email: null, note: `unassigned: account ${account.name} has no ${role} (${field} is empty)` };
}

/** Task steps: one CSM task per step of a run, however often the activity is retried. */
export function taskDeliverer(deps: { db: Db }): Deliverer<TaskEffect> {
  return async ({ workflowId, runId, stepKey, effect, run }): Promise<EffectOutcome> => {
    const account = await storedAccount(deps.db, run?.accountId);
    const assignee = assigneeFor(effect, account, run?.accountId);
    const { task } = await createTaskForStep(deps.db, {
      workflowId,
      runId,
      stepKey,
      nodeId: effect.nodeId,
      accountId: run?.accountId ?? null,
      accountName: account?.name ?? null,
      playbook: run ? { key: run.playbookKey, name: run.playbookName, version: run.version } : null,
      assigneeRole: effect.assignee,
      assigneeEmail: assignee.email,
      assignmentNote: assignee.note,
      kind: effect.taskKind,
      title: effect.title,
      instructions: effect.instructions,
      dueAt: effect.dueAt,
    });
    return {
      status: 'done',
      detail: `task ${task.id} ${assignee.email ? `for ${assignee.email}` : assignee.note}, due ${task.dueAt}`,
    };
  };
}
