import { sql, type Kysely } from 'kysely';

// The work a playbook hands to people and to other systems: CSM tasks (one per task step of a run), the record of
// every delivery attempt of an outbound effect (webhook, notification, field update), and archived playbooks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('csm_tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The step that made the task: a retried activity finds its task instead of making a second one.
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
    .addColumn('assignee_role', 'text', (c) => c.notNull())
    .addColumn('assignee_email', 'text')
    .addColumn('assignment_note', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'done', 'dismissed')`),
    )
    .addColumn('completed_at', 'timestamptz')
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('csm_tasks_step', ['workflow_id', 'run_id', 'step_key'])
    .execute();
  // A CSM's inbox: their open tasks by due date.
  await sql`create index csm_tasks_inbox on csm_tasks (lower(assignee_email), status, due_at)`.execute(db);
  await db.schema.createIndex('csm_tasks_account').on('csm_tasks').columns(['account_id', 'due_at']).execute();

  await db.schema
    .createTable('effect_deliveries')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Where it went: the URL, "slack", the CSM's address, the account field.
    .addColumn('target', 'text', (c) => c.notNull())
    // 'sending' until the attempt ends; a row left 'sending' means a worker stopped mid-delivery.
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('sending', 'done', 'retrying', 'failed', 'skipped')`),
    )
    .addColumn('http_status', 'integer')
    .addColumn('detail', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('effect_deliveries_pk', ['workflow_id', 'run_id', 'step_key', 'attempt'])
    .execute();

  await db.schema.alterTable('playbooks').addColumn('archived_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('playbooks').dropColumn('archived_at').execute();
  await db.schema.dropTable('effect_deliveries').execute();
  await db.schema.dropTable('csm_tasks').execute();
}
