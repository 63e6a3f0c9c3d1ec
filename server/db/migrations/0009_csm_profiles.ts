import { sql, type Kysely } from 'kysely';

// CSM profiles: what a playbook email signs with on the owner CSM's behalf (name, booking link, signature).
// Keyed by the lower-cased email that accounts name as their owner CSM.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('csm_profiles')
    .addColumn('email', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text')
    .addColumn('booking_link', 'text')
    .addColumn('signature', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('csm_profiles').execute();
}
