import { sql, type Kysely } from 'kysely';

// Email templates, one row per key. `variables` is what the template reads (extracted when saved), so compiling a
// playbook checks its emails without parsing Liquid. `checksum` fingerprints the content; `shipped_checksum` is the
// content Stayflow shipped and last installed (null for templates made here): a shipped template whose checksum
// still equals it has not been edited, so a newer release may replace it; an edited one is never overwritten.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('email_templates')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('locales', 'jsonb', (c) => c.notNull())
    .addColumn('default_locale', 'text', (c) => c.notNull())
    .addColumn('variables', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('shipped_checksum', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('email_templates').execute();
}
