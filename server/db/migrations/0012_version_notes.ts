import { sql, type Kysely } from 'kysely';

// A published version says why it was published and by whom: the note a person typed in the publish dialog (or
// `{ note }` from CI) and the caller who published. Versions published before this, and the seeds published at
// first start, have neither (null).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('playbook_versions')
    // The API refuses more than 500 characters; the check keeps any other writer to the same bound.
    .addColumn('note', 'text', (c) => c.check(sql`char_length(note) <= 500`))
    // Who published, as the audit log names an actor: a person's email, or `token '<name>'`.
    .addColumn('published_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('playbook_versions').dropColumn('note').dropColumn('published_by').execute();
}
