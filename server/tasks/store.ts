import { sql, type Selectable } from 'kysely';
import { ownedAccountsCondition, type VisibleOwners } from '../auth/ownership.js';
import { DomainError, notFound } from '../errors.js';
import type { Db } from '../db/database.js';
import { stepOriginColumns, stepOriginOf, type StepOrigin } from '../effects/step-origin.js';
import { keysetPage } from '../db/page-cursor.js';
import type { CsmTasksTable } from '../db/schema.js';

export type TaskStatus = 'open' | 'done' | 'dismissed';

/** A task as a run's step asks for it; the step key makes creating it twice create it once. */
export interface NewTask extends StepOrigin {
  assigneeRole: string;
  assigneeEmail: string | null;
  assignmentNote: string | null;
  kind: string;
  title: string;
  instructions: string;
  dueAt: string;
}

export interface CsmTask {
  id: string;
  status: TaskStatus;
  /** Open and past its due time. */
  overdue: boolean;
  kind: string;
  title: string;
  instructions: string;
  dueAt: string;
  assignee: { role: string; email: string | null; note: string | null };
  account: { id: string | null; name: string | null };
  playbook: { key: string; name: string; version: number } | null;
  run: { workflowId: string; runId: string; nodeId: string; url: string };
  completedAt: string | null;
  note: string | null;
  createdAt: string;
}

function toTask(row: Selectable<CsmTasksTable>, now = Date.now()): CsmTask {
  return {
    id: row.id,
    status: row.status,
    overdue: row.status === 'open' && row.due_at.getTime() < now,
    kind: row.kind,
    title: row.title,
    instructions: row.instructions,
    dueAt: row.due_at.toISOString(),
    assignee: { role: row.assignee_role, email: row.assignee_email, note: row.assignment_note },
    account: { id: row.account_id, name: row.account_name },
    ...stepOriginOf(row),
    completedAt: row.completed_at?.toISOString() ?? null,
    note: row.note,
    createdAt: row.created_at.toISOString(),
  };
}

/** Creates the step's task, or answers the one an earlier attempt of the same step created. */
export async function createTaskForStep(db: Db, task: NewTask): Promise<{ task: CsmTask; created: boolean }> {
  const inserted = await db
    .insertInto('csm_tasks')
    .values({
      ...stepOriginColumns(task),
      assignee_role: task.assigneeRole,
      assignee_email: task.assigneeEmail,
      assignment_note: task.assignmentNote,
      kind: task.kind,
      title: task.title,
      instructions: task.instructions,
      due_at: new Date(task.dueAt),
    })
    .onConflict((oc) => oc.columns(['workflow_id', 'run_id', 'step_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { task: toTask(inserted), created: true };
  const existing = await db
    .selectFrom('csm_tasks')
    .selectAll()
    .where('workflow_id', '=', task.workflowId)
    .where('run_id', '=', task.runId)
    .where('step_key', '=', task.stepKey)
    .executeTakeFirstOrThrow();
  return { task: toTask(existing), created: false };
}

export interface TaskFilters {
  /** The assignee's email, any case; `unassigned` for tasks nobody holds yet. */
  assignee?: string;
  status?: TaskStatus;
  accountId?: string;
  dueBefore?: string;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Only tasks of accounts a CSM or manager may see, or assigned to them (server/auth/ownership.ts). */
  visible?: VisibleOwners;
}

/** A CSM's inbox: open tasks first, each group by due time, so the overdue ones lead. */
export async function listTasks(db: Db, filters: TaskFilters): Promise<CsmTask[]> {
  return (await pageTasks(db, filters)).items;
}

// The inbox's sort key: open first (0), then by due time and id. A cursor carries it for the page's last task.
const openFirst = sql<number>`case when status = 'open' then 0 else 1 end`;

/** The inbox a page at a time (keyset on its sort key); `nextCursor` is null on the last page. */
export async function pageTasks(
  db: Db,
  filters: TaskFilters,
): Promise<{ items: CsmTask[]; nextCursor: string | null }> {
  let query = db.selectFrom('csm_tasks').selectAll();
  if (filters.assignee === 'unassigned') query = query.where('assignee_email', 'is', null);
  else if (filters.assignee)
    query = query.where(sql<string>`lower(assignee_email)`, '=', filters.assignee.toLowerCase());
  const visible = filters.visible;
  if (visible && visible !== 'all') {
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`lower(assignee_email)`, 'in', visible.csms.length > 0 ? visible.csms : ['']),
        eb.exists(
          eb
            .selectFrom('accounts')
            .select('accounts.id')
            .where(sql<boolean>`accounts.id::text = csm_tasks.account_id`)
            .where(ownedAccountsCondition(visible)),
        ),
      ]),
    );
  }
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.accountId) query = query.where('account_id', '=', filters.accountId);
  if (filters.dueBefore) query = query.where('due_at', '<', new Date(filters.dueBefore));
  // Overdue is judged once the rows are in, by one clock reading for the whole page.
  let now: number | undefined;
  return keysetPage(query, filters, {
    order: 'asc',
    keys: [
      [openFirst, 'int'],
      ['due_at', 'time'],
      ['id', 'uuid'],
    ],
    item: (row) => toTask(row, (now ??= Date.now())),
  });
}

export async function findTask(db: Db, id: string): Promise<CsmTask> {
  const row = await db.selectFrom('csm_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Task ${id}`);
  return toTask(row);
}

/**
 * Moves a task to `done` or `dismissed` (with the note) or back to `open`. Only an open task can be completed or
 * dismissed, and only a closed one reopened: a second click answers 409 and changes nothing.
 */
export async function setTaskStatus(db: Db, id: string, to: TaskStatus, note?: string): Promise<CsmTask> {
  const current = await findTask(db, id);
  if (to === 'open' && current.status === 'open') {
    throw new DomainError('conflict', 'conflict', `Task ${id} is already open`);
  }
  if (to !== 'open' && current.status !== 'open') {
    throw new DomainError(
      'conflict',
      'conflict',
      `Task ${id} is already ${current.status} (since ${current.completedAt}); reopen it first`,
    );
  }
  const row = await db
    .updateTable('csm_tasks')
    .set(
      to === 'open'
        ? { status: 'open', completed_at: null, note: note ?? null, updated_at: sql<Date>`now()` }
        : { status: to, completed_at: sql<Date>`now()`, note: note ?? null, updated_at: sql<Date>`now()` },
    )
    .where('id', '=', id)
    // The status read above must still hold: two concurrent clicks change the task once.
    .where('status', to === 'open' ? '!=' : '=', 'open')
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new DomainError('conflict', 'conflict', `Task ${id} changed meanwhile; read it again`);
  return toTask(row);
}
