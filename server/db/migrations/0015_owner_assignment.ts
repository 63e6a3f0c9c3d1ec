import { sql, type Kysely } from 'kysely';

// assignOwner steps: each team's round-robin cursor (the email it assigned last; an email rather than a position, so
// people joining or leaving the team do not shift everyone else's turn), and one row per assignment step of a run —
// keyed like every effect by (workflow, run, step key), written in the same transaction as the owner change and the
// cursor, so a retried step answers what it did the first time and never takes a second turn.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('owner_rotation_cursors')
    // The team's manager (lower case): a team is the active CSMs whose manager they are.
    .addColumn('team', 'text', (c) => c.primaryKey())
    .addColumn('last_email', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('owner_assignments')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('strategy', 'text', (c) => c.notNull().check(sql`strategy in ('csm', 'roundRobin', 'leastLoaded')`))
    .addColumn('team', 'text')
    .addColumn('from_email', 'text')
    .addColumn('to_email', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('done', 'skipped')`))
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('owner_assignments_step', ['workflow_id', 'run_id', 'step_key'])
    .execute();
  await db.schema.createIndex('owner_assignments_account').on('owner_assignments').column('account_id').execute();
  // Least loaded counts the accounts each CSM of a team owns; owners are matched without case.
  await sql`create index accounts_owner_csm on accounts (lower(owner_csm_email))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists accounts_owner_csm`.execute(db);
  await db.schema.dropTable('owner_assignments').execute();
  await db.schema.dropTable('owner_rotation_cursors').execute();
}
