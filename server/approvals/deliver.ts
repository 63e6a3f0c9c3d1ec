import { defaultValues } from '../../engine/approvals/values.js';
import { PERSON_NAMES } from '../../engine/approvals/chain.js';
import type {
  ApprovalDecidedEffect,
  ApprovalEscalatedEffect,
  ApprovalRequestedEffect,
  EffectOutcome,
} from '../../engine/interpreter/types.js';
import { storedAccount } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { assigneeFor } from '../effects/task.js';
import type { Deliverer, EffectStep } from '../effects/perform.js';
import { describeNotified, notifyAssignee, temporaryFailure, type NotifyDeps } from '../notifications/assignee.js';
import { approvalContext } from './context.js';
import { renderProposal } from './proposal.js';
import { approvalOfStep, createApprovalForStep, escalateApproval, recordDecision, type Approval } from './store.js';

// The approval step's effects, delivered: the stored approval the inbox shows (with the proposal rendered and the
// account's context), its escalation to the next person, and how it ended. Each is idempotent per step, and each
// person is notified once.

export interface ApprovalDeps extends NotifyDeps {
  /** Where people open Stayflow (links in notifications), and the footer of the rendered proposal. */
  publicUrl: string;
  company?: string;
  postalAddress?: string;
}

/**
 * A notification that fails for a moment (SMTP 4xx, Slack down) retries the step a few times — about half a
 * minute with the effect retry policy — then gives up on the nudge: the approval is in the inbox either way, and
 * the run must not wait on a mail relay to start counting its time.
 */
const NOTIFY_ATTEMPTS = 3;

function noticeText(deps: ApprovalDeps, approval: Approval, opening: string): string {
  const values = approval.parameters.map(
    (p) => `- ${p.label ?? p.name}: ${String(approval.values[p.name])}${p.type === 'percent' ? ' %' : ''}`,
  );
  return [
    opening,
    '',
    approval.title,
    approval.details,
    ...(values.length ? ['', 'You may change before deciding:', ...values] : []),
    '',
    `Decide by ${approval.dueAt}: ${deps.publicUrl.replace(/\/$/, '')}/inbox/${approval.id}`,
    `${approval.account.name ?? 'An account'} · ${approval.playbook ? `${approval.playbook.name} (v${approval.playbook.version})` : 'a playbook'}`,
  ]
    .filter((line, i, lines) => line !== '' || lines[i - 1] !== '')
    .join('\n');
}

async function notify(
  deps: ApprovalDeps,
  step: EffectStep,
  approval: Approval,
  event: string,
  subject: string,
  opening: string,
): Promise<string> {
  const results = await notifyAssignee(deps, {
    subject: `approval:${approval.id}`,
    event,
    to: approval.assignee.email,
    emailSubject: `[Stayflow] ${subject}: ${approval.title} — ${approval.account.name ?? 'an account'}`,
    text: noticeText(deps, approval, opening),
  });
  const failed = temporaryFailure(results);
  if (failed && step.attempt < NOTIFY_ATTEMPTS && !step.lastAttempt) throw new Error(`notifying: ${failed.detail}`);
  return describeNotified(results);
}

export function approvalRequestedDeliverer(deps: ApprovalDeps): Deliverer<ApprovalRequestedEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect, run } = step;
    let approval = await approvalOfStep(deps.db, step);
    if (!approval) {
      const account = await storedAccount(deps.db, run?.accountId);
      const assignee = assigneeFor(effect, account, run?.accountId);
      const [context, proposal] = await Promise.all([
        approvalContext(deps.db, account),
        effect.proposal
          ? renderProposal(deps.db, {
              proposal: effect.proposal,
              account,
              values: defaultValues(effect.parameters ?? []),
              run,
              footer: { company: deps.company, address: deps.postalAddress },
            })
          : null,
      ]);
      ({ approval } = await createApprovalForStep(deps.db, {
        workflowId: step.workflowId,
        runId: step.runId,
        stepKey: step.stepKey,
        nodeId: effect.nodeId,
        accountId: run?.accountId ?? null,
        accountName: account?.name ?? null,
        playbook: run ? { key: run.playbookKey, name: run.playbookName, version: run.version } : null,
        kind: effect.approvalKind,
        title: effect.title,
        details: effect.details,
        parameters: effect.parameters ?? [],
        proposal,
        context,
        assigneeRole: effect.assignee,
        assigneeEmail: assignee.email,
        assignmentNote: assignee.note,
        ownerCsmEmail: account?.ownerCsmEmail ?? null,
        managerEmail: account?.csmManagerEmail ?? null,
        dueAt: effect.dueAt,
        requestedAt: run?.at ?? new Date().toISOString(),
      }));
    }
    const notified = await notify(
      deps,
      step,
      approval,
      'assigned',
      'Approval needed',
      'An approval waits for your decision.',
    );
    const who = approval.assignee.email ? `for ${approval.assignee.email}` : approval.assignee.note;
    return { status: 'done', detail: `approval ${approval.id} ${who}, due ${approval.dueAt}${notified}` };
  };
}

export function approvalEscalatedDeliverer(deps: ApprovalDeps): Deliverer<ApprovalEscalatedEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect, run } = step;
    const account = await storedAccount(deps.db, run?.accountId);
    const assignee = assigneeFor(effect, account, run?.accountId);
    const escalated = await escalateApproval(
      deps.db,
      { workflowId: step.workflowId, runId: step.runId, nodeId: effect.nodeId },
      {
        level: effect.level,
        role: effect.assignee,
        email: assignee.email,
        note: assignee.note,
        dueAt: effect.dueAt,
        at: run?.at ?? new Date().toISOString(),
      },
    );
    if (!escalated) return { status: 'skipped', detail: 'the run has no stored approval at this step' };
    const { approval } = escalated;
    if (approval.status !== 'pending')
      return { status: 'skipped', detail: `approval ${approval.id} is already ${approval.status}` };
    const notified = await notify(
      deps,
      step,
      approval,
      `escalated:${effect.level}`,
      'Escalated to you',
      `Nobody decided in time, so this approval is now with you (${PERSON_NAMES[effect.assignee]}).`,
    );
    const who = approval.assignee.email ? `to ${approval.assignee.email}` : `: ${approval.assignee.note}`;
    return { status: 'done', detail: `approval ${approval.id} escalated ${who}, due ${approval.dueAt}${notified}` };
  };
}

const STATUS = { approved: 'approved', rejected: 'rejected', timeout: 'timed_out', withdrawn: 'withdrawn' } as const;

export function approvalDecidedDeliverer(
  deps: Pick<ApprovalDeps, 'db'> & { db: Db },
): Deliverer<ApprovalDecidedEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect } = step;
    const approval = await recordDecision(
      deps.db,
      { workflowId: step.workflowId, runId: step.runId, nodeId: effect.nodeId },
      {
        status: STATUS[effect.outcome],
        decidedBy: effect.decidedBy ?? null,
        decidedAt: effect.decidedAt,
        values: effect.values,
        reason: effect.reason ?? null,
      },
    );
    if (!approval) return { status: 'skipped', detail: 'the run has no stored approval at this step' };
    return { status: 'done', detail: `approval ${approval.id} ${approval.status}` };
  };
}
