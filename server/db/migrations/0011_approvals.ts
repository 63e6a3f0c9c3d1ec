import { sql, type Kysely } from 'kysely';

// Approvals as stored records (the CSM's inbox, the decision and its edits, who decided), and the notifications
// sent about approvals and tasks — one row per (thing, event, channel), so a retried step never notifies twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('approvals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The step that asked: a retried activity finds its approval instead of making a second one.
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    // Text, not a reference: a run may be for an account described inline at enrollment, never stored.
    .addColumn('account_id', 'text')
    .addColumn('account_name', 'text')
    .addColumn('playbook_key', 'text')
    .addColumn('playbook_name', 'text')
    .addColumn('playbook_version', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo(''))
    // The step's parameters (name, type, default, bounds) as the run was compiled with them.
    .addColumn('parameters', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // What goes out when approved (the rendered email with the defaults), or why there is nothing to show.
    .addColumn('proposal', 'jsonb')
    // The account when it was asked: health, risk level and why, recent events, renewal date.
    .addColumn('context', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('assignee_role', 'text', (c) => c.notNull())
    // Lower-cased like users' emails; null with the reason when the account names nobody for the role.
    .addColumn('assignee_email', 'text')
    .addColumn('assignment_note', 'text')
    // Whose account it is (a CSM acts on their own; a manager on their team's): kept current on reassignment.
    .addColumn('owner_csm_email', 'text')
    .addColumn('manager_email', 'text')
    // 0 while with the first decider; n after the n-th escalation.
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'approved', 'rejected', 'timed_out', 'withdrawn')`),
    )
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    // The values the steps after it read, and the edits: { name: { from, to } } for each value changed.
    .addColumn('values', 'jsonb')
    .addColumn('edits', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('approvals_step', ['workflow_id', 'run_id', 'step_key'])
    .execute();
  // Inboxes: mine / my team's open ones by due time; decided ones newest first; a run's approvals.
  await db.schema
    .createIndex('approvals_inbox')
    .on('approvals')
    .columns(['assignee_email', 'status', 'due_at'])
    .execute();
  await db.schema.createIndex('approvals_open').on('approvals').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('approvals_decided').on('approvals').columns(['decided_at']).execute();
  await db.schema.createIndex('approvals_run').on('approvals').columns(['workflow_id', 'run_id', 'node_id']).execute();
  await db.schema.createIndex('approvals_account').on('approvals').columns(['account_id', 'status']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // What it is about (`approval:<id>`, `task:<id>`) and which happening (`assigned`, `escalated:1`).
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'slack')`))
    .addColumn('recipient', 'text', (c) => c.notNull())
    // 'sending' until the attempt ends; a row left 'sending' means a worker stopped mid-send: never sent again.
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('sending', 'sent', 'failed')`))
    .addColumn('detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('notifications_once', ['subject', 'event', 'channel'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('approvals').execute();
}
