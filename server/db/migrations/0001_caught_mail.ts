import { sql, type Kysely } from 'kysely';

// Mail caught by the in-process SMTP server (dev and tests), so the Outbox page survives restarts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('caught_mail')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('message_id', 'text')
    .addColumn('envelope_from', 'text', (c) => c.notNull())
    .addColumn('envelope_to', sql`text[]`, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('html', 'text')
    .addColumn('headers', 'jsonb', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('caught_mail_received_at').on('caught_mail').column('received_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('caught_mail').execute();
}
