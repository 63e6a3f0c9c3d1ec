import type { Kysely } from 'kysely';

// How far each account's entity workflow has applied its events: a restarted (or re-created) entity workflow
// continues after it instead of applying every event, and re-enrolling the account, again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_event_cursors')
    .addColumn('account_id', 'uuid', (col) => col.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('applied_seq', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_event_cursors').execute();
}
