import { sql, type Selectable } from 'kysely';
import type { Approval } from '../../engine/approvals/record.js';
import type { ApprovalValues } from '../../engine/approvals/values.js';
import { defaultValues } from '../../engine/approvals/values.js';
import type { ApprovalParameter } from '../../engine/playbook/nodes.js';
import type { Db } from '../db/database.js';
import { stepOriginColumns, stepOriginOf, type StepOrigin } from '../effects/step-origin.js';
import type { ApprovalsTable, ApprovalStatus } from '../db/schema.js';
import { isUuid } from '../db/uuid.js';
import { DomainError, notFound } from '../errors.js';
import type { ApprovalContext } from './context.js';
import type { RenderedProposal } from './proposal.js';

export type { ApprovalStatus };

/** An approval as the inbox and the API show it: the one schema in engine/approvals/record.ts. */
export type { Approval };

function toApproval(row: Selectable<ApprovalsTable>, now = Date.now()): Approval {
  const parameters = row.parameters as ApprovalParameter[];
  return {
    id: row.id,
    status: row.status,
    overdue: row.status === 'pending' && row.due_at.getTime() < now,
    level: row.level,
    kind: row.kind as Approval['kind'],
    title: row.title,
    details: row.details,
    parameters,
    values: row.values ?? defaultValues(parameters),
    edits: row.edits,
    proposal: row.proposal as RenderedProposal | null,
    context: row.context as unknown as ApprovalContext,
    assignee: {
      role: row.assignee_role as Approval['assignee']['role'],
      email: row.assignee_email,
      note: row.assignment_note,
    },
    account: {
      id: row.account_id,
      name: row.account_name,
      ownerCsmEmail: row.owner_csm_email,
      managerEmail: row.manager_email,
    },
    ...stepOriginOf(row),
    dueAt: row.due_at.toISOString(),
    escalatedAt: row.escalated_at?.toISOString() ?? null,
    decision:
      row.decided_at === null ? null : { by: row.decided_by, at: row.decided_at.toISOString(), reason: row.reason },
    createdAt: row.created_at.toISOString(),
  };
}

const lower = (email: string | null | undefined) => (email ? email.toLowerCase() : null);

/** An approval as a run's step asks for it; the step key makes asking twice ask once. */
export interface NewApproval extends StepOrigin {
  kind: string;
  title: string;
  details: string;
  parameters: readonly ApprovalParameter[];
  proposal: RenderedProposal | null;
  context: ApprovalContext;
  assigneeRole: string;
  assigneeEmail: string | null;
  assignmentNote: string | null;
  ownerCsmEmail: string | null;
  managerEmail: string | null;
  dueAt: string;
  /** When the run asked (its plan's instant); the record's createdAt. */
  requestedAt: string;
}

/** The step's approval, if an earlier attempt of the step made it. */
export async function approvalOfStep(db: Db, step: { workflowId: string; runId: string; stepKey: string }) {
  const row = await db
    .selectFrom('approvals')
    .selectAll()
    .where('workflow_id', '=', step.workflowId)
    .where('run_id', '=', step.runId)
    .where('step_key', '=', step.stepKey)
    .executeTakeFirst();
  return row && toApproval(row);
}

/** Creates the step's approval, or answers the one an earlier attempt of the same step created. */
export async function createApprovalForStep(
  db: Db,
  approval: NewApproval,
): Promise<{ approval: Approval; created: boolean }> {
  const inserted = await db
    .insertInto('approvals')
    .values({
      ...stepOriginColumns(approval),
      kind: approval.kind,
      title: approval.title,
      details: approval.details,
      parameters: JSON.stringify(approval.parameters),
      proposal: approval.proposal && JSON.stringify(approval.proposal),
      context: JSON.stringify(approval.context),
      assignee_role: approval.assigneeRole,
      assignee_email: lower(approval.assigneeEmail),
      assignment_note: approval.assignmentNote,
      owner_csm_email: lower(approval.ownerCsmEmail),
      manager_email: lower(approval.managerEmail),
      due_at: new Date(approval.dueAt),
      created_at: new Date(approval.requestedAt),
    })
    .onConflict((oc) => oc.columns(['workflow_id', 'run_id', 'step_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { approval: toApproval(inserted), created: true };
  return { approval: (await approvalOfStep(db, approval))!, created: false };
}

/** Where a run's open approval is: its newest at that step (a step visited again asks again). */
export interface ApprovalOfRun {
  workflowId: string;
  runId: string;
  nodeId: string;
}

const newestOfRun = (db: Db, run: ApprovalOfRun) =>
  db
    .selectFrom('approvals')
    .selectAll()
    .where('workflow_id', '=', run.workflowId)
    .where('run_id', '=', run.runId)
    .where('node_id', '=', run.nodeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1);

/**
 * Moves the run's open approval to the next person of its chain, once per level (a retried step changes nothing
 * twice). Answers the approval and whether this call moved it; undefined when the run has none (recorded before
 * approvals were stored).
 */
export async function escalateApproval(
  db: Db,
  run: ApprovalOfRun,
  /** `at`: when the run escalated it (its plan's instant, not when a retry got here). */
  to: { level: number; role: string; email: string | null; note: string | null; dueAt: string; at: string },
): Promise<{ approval: Approval; moved: boolean } | undefined> {
  const current = await newestOfRun(db, run).executeTakeFirst();
  if (!current) return undefined;
  const moved = await db
    .updateTable('approvals')
    .set({
      level: to.level,
      assignee_role: to.role,
      assignee_email: lower(to.email),
      assignment_note: to.note,
      due_at: new Date(to.dueAt),
      escalated_at: new Date(to.at),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', current.id)
    .where('status', '=', 'pending')
    .where('level', '<', to.level)
    .returningAll()
    .executeTakeFirst();
  return { approval: toApproval(moved ?? current), moved: moved !== undefined };
}

export interface DecisionRecord {
  status: Exclude<ApprovalStatus, 'pending'>;
  decidedBy: string | null;
  decidedAt: string;
  values: ApprovalValues;
  reason: string | null;
}

/**
 * Records how an approval ended, once: the first record wins and later ones (the API's, then the run's own, or the
 * other way round) change nothing. The edits are the values that differ from their default.
 */
export async function recordDecision(
  db: Db,
  which: { id: string } | ApprovalOfRun,
  decision: DecisionRecord,
  /** Written in the same transaction, whichever record came first (the run's own may have). */
  audit?: (tx: Db, approval: Approval) => Promise<void>,
): Promise<Approval | undefined> {
  return db.transaction().execute(async (tx) => {
    const row =
      'id' in which
        ? await tx.selectFrom('approvals').selectAll().where('id', '=', which.id).forUpdate().executeTakeFirst()
        : await newestOfRun(tx, which).forUpdate().executeTakeFirst();
    if (!row) return undefined;
    if (row.status !== 'pending') {
      await audit?.(tx, toApproval(row));
      return toApproval(row);
    }
    const defaults = defaultValues(row.parameters as ApprovalParameter[]);
    const edits = Object.fromEntries(
      Object.entries(decision.values)
        .filter(([name, value]) => defaults[name] !== value)
        .map(([name, value]) => [name, { from: defaults[name] ?? null, to: value }]),
    );
    const updated = await tx
      .updateTable('approvals')
      .set({
        status: decision.status,
        decided_by: decision.decidedBy,
        decided_at: new Date(decision.decidedAt),
        reason: decision.reason,
        values: JSON.stringify(decision.values),
        edits: JSON.stringify(edits),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit?.(tx, toApproval(updated));
    return toApproval(updated);
  });
}

/** Whose an approval is, for the API's ownership rule: its assignee, its account's owner CSM and manager. */
export async function approvalPeople(
  db: Db,
  id: string,
): Promise<{ assignee: string | null; ownerCsm: string | null; manager: string | null }> {
  const row = isUuid(id)
    ? await db
        .selectFrom('approvals')
        .select(['assignee_email', 'owner_csm_email', 'manager_email'])
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Approval ${id}`);
  return { assignee: row.assignee_email, ownerCsm: row.owner_csm_email, manager: row.manager_email };
}

export async function findApproval(db: Db, id: string): Promise<Approval> {
  const row = isUuid(id)
    ? await db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Approval ${id}`);
  return toApproval(row);
}

/**
 * Moves open approvals and open tasks held by `fromEmail` to `toEmail` — one account's (the account was
 * reassigned) or all of them (the CSM was deactivated). Approvals also change whose account they count as, so the
 * new owner may decide them. Answers how many of each moved.
 */
export async function reassignOpenWork(
  db: Db,
  fromEmail: string,
  toEmail: string,
  options: { accountId?: string } = {},
): Promise<{ approvals: string[]; tasks: string[] }> {
  const from = fromEmail.toLowerCase();
  const to = toEmail.toLowerCase();
  if (from === to) return { approvals: [], tasks: [] };
  const account = options.accountId;
  const run = async (tx: Db) => {
    const approvals = await tx
      .updateTable('approvals')
      .set({ assignee_email: to, assignment_note: null, updated_at: sql<Date>`now()` })
      .where('status', '=', 'pending')
      .where('assignee_email', '=', from)
      .$if(account !== undefined, (q) => q.where('account_id', '=', account!))
      .returning('id')
      .execute();
    for (const column of ['owner_csm_email', 'manager_email'] as const) {
      await tx
        .updateTable('approvals')
        .set({ [column]: to })
        .where('status', '=', 'pending')
        .where(column, '=', from)
        .$if(account !== undefined, (q) => q.where('account_id', '=', account!))
        .execute();
    }
    const tasks = await tx
      .updateTable('csm_tasks')
      .set({ assignee_email: to, assignment_note: null, updated_at: sql<Date>`now()` })
      .where('status', '=', 'open')
      .where(sql`lower(assignee_email)`, '=', from)
      .$if(account !== undefined, (q) => q.where('account_id', '=', account!))
      .returning('id')
      .execute();
    return { approvals: approvals.map((r) => r.id), tasks: tasks.map((r) => r.id) };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** A decision on an approval that has ended: who decided first and when, or how it ended. */
export function alreadyDecided(approval: Approval): DomainError {
  const at = approval.decision?.at ?? approval.dueAt;
  const message =
    approval.status === 'approved' || approval.status === 'rejected'
      ? `Approval ${approval.id} was already decided by ${approval.decision?.by ?? 'someone'} at ${at} (${approval.status})`
      : approval.status === 'timed_out'
        ? `Approval ${approval.id} timed out at ${at}; the run took its timeout branch`
        : `Approval ${approval.id} was withdrawn at ${at}: ${approval.decision?.reason ?? 'the run ended'}`;
  return new DomainError('conflict', 'already_decided', message);
}

export { toApproval };
