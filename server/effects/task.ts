import type { Account } from '../../engine/accounts/schema.js';
import type { Effect, EffectOutcome } from '../../engine/interpreter/types.js';
import { storedAccount } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { createTaskForStep } from '../tasks/store.js';
import { describeNotified, notifyAssignee, temporaryFailure, type NotifyDeps } from '../notifications/assignee.js';
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

/** A task that fails to notify for a moment retries its step this many times, then gives up on the nudge. */
const NOTIFY_ATTEMPTS = 3;

/**
 * Task steps: one CSM task per step of a run, however often the activity is retried; its assignee is notified
 * once (email, and Slack where configured) when `notify` is given.
 */
export function taskDeliverer(deps: { db: Db; notify?: NotifyDeps & { publicUrl: string } }): Deliverer<TaskEffect> {
  return async ({ workflowId, runId, stepKey, attempt, lastAttempt, effect, run }): Promise<EffectOutcome> => {
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
    let notified = '';
    if (deps.notify) {
      const results = await notifyAssignee(deps.notify, {
        subject: `task:${task.id}`,
        event: 'assigned',
        to: task.assignee.email,
        emailSubject: `[Stayflow] New task: ${task.title} — ${task.account.name ?? 'an account'}`,
        text: [
          `A playbook gave you a task (${task.kind}), due ${task.dueAt}.`,
          '',
          task.title,
          ...(task.instructions ? [task.instructions] : []),
          '',
          `${deps.notify.publicUrl.replace(/\/$/, '')}/tasks`,
          `${task.account.name ?? 'An account'} · ${task.playbook ? `${task.playbook.name} (v${task.playbook.version})` : 'a playbook'}`,
        ].join('\n'),
      });
      const failed = temporaryFailure(results);
      if (failed && attempt < NOTIFY_ATTEMPTS && !lastAttempt) throw new Error(`notifying: ${failed.detail}`);
      notified = describeNotified(results);
    }
    return {
      status: 'done',
      detail: `task ${task.id} ${assignee.email ? `for ${assignee.email}` : assignee.note}, due ${task.dueAt}${notified}`,
    };
  };
}
