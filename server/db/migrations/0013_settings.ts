import { sql, type Kysely } from 'kysely';

// Install settings an operator edits in the app (business calendars and send windows, contact governance, Slack):
// one JSON document per section, validated by its engine schema before it is written. A section never saved reads
// as its default, so a fresh install behaves as before this table existed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('install_settings')
    .addColumn('section', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Who saved it last, as the audit log names an actor.
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('install_settings').execute();
}
