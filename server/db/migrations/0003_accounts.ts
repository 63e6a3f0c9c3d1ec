import { sql, type Kysely } from 'kysely';

// Accounts (the customer's own id is external_id), their contacts, and the install's custom account fields.
// Health and risk live in their own tables: they are computed, and recomputing them must not rewrite accounts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('segment', 'text')
    .addColumn('owner_csm_name', 'text')
    .addColumn('owner_csm_email', 'text')
    .addColumn('csm_manager_email', 'text')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('plan', 'text')
    // double precision, not numeric: numeric comes back as a string and rounds to its scale, so a re-imported
    // value would not compare equal to what was sent; MRR is compared and shown, never summed to the cent.
    .addColumn('mrr', 'double precision')
    .addColumn('start_date', 'date')
    .addColumn('renewal_date', 'date')
    .addColumn('lifecycle_stage', 'text')
    .addColumn('custom', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The list is ordered by name and paged by (name, id).
  await db.schema.createIndex('accounts_name_id').on('accounts').columns(['name', 'id']).execute();
  await db.schema.createIndex('accounts_renewal_date').on('accounts').column('renewal_date').execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('locale', 'text')
    .addColumn('unsubscribed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('unsubscribed_at', 'timestamptz')
    .addColumn('is_primary', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One contact per address per account, whatever the case the address was typed in.
  await sql`create unique index contacts_account_email on contacts (account_id, lower(email))`.execute(db);
  // At most one primary contact per account; the store keeps it exactly one while the account has contacts.
  await sql`create unique index contacts_one_primary on contacts (account_id) where is_primary`.execute(db);

  await db.schema
    .createTable('account_field_definitions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_field_definitions').execute();
  await db.schema.dropTable('contacts').execute();
  await db.schema.dropTable('accounts').execute();
}
