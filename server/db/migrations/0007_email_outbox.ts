import { sql, type Kysely } from 'kysely';

// The email outbox: one row per (run, step, recipient), written before the SMTP call and after it, so a retried
// activity or a restarted worker finds what already happened instead of sending again. Plus install-wide secrets
// that must be the same in every process (the key that signs unsubscribe and click links).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    // Lower-cased address: the idempotency key and what the frequency cap counts by.
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text')
    .addColumn('node_id', 'text', (c) => c.notNull())
    // Text, not references: the outbox outlives a deleted account or contact, as the record of what was sent.
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('template_key', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('subject', 'text')
    .addColumn('html', 'text')
    .addColumn('text', 'text')
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`state in ('queued', 'sending', 'sent', 'failed', 'skipped', 'uncertain')`),
    )
    // Ours, set before the first try and kept on resends, so a receiving system can tell a copy from a new email.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('smtp_response', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('email_outbox_step_recipient', ['workflow_id', 'run_id', 'step_key', 'recipient'])
    .execute();
  await db.schema.createIndex('email_outbox_recent').on('email_outbox').columns(['recipient', 'updated_at']).execute();
  await db.schema
    .createIndex('email_outbox_account')
    .on('email_outbox')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema.createIndex('email_outbox_state').on('email_outbox').columns(['state', 'created_at']).execute();

  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_secrets').execute();
  await db.schema.dropTable('email_outbox').execute();
}
