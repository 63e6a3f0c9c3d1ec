import { sql, type Kysely } from 'kysely';

// The referral ledger: one line per credit or discount a referral earned, each from the account event that earned
// it (referral.converted: $200 to the referrer and 20 % off the first month to the referred account, when the
// event names it; referral.renewed: $100 more to the referrer). One line per (event, kind): reading the ledger
// twice never counts an event twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('referral_ledger')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('referralCredit', 'renewalCredit', 'referredDiscount')`),
    )
    // Credit in cents (USD); 0 for a discount line.
    .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents >= 0`))
    .addColumn('discount_percent', 'integer', (c) => c.check(sql`discount_percent between 0 and 100`))
    // Who the line is about: the referred customer (on the referrer's lines) or the referrer (on the referred's).
    .addColumn('counterpart', 'text')
    .addColumn('event_id', 'bigint', (c) => c.notNull().references('account_events.id').onDelete('cascade'))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('referral_ledger_event_kind', ['event_id', 'kind'])
    .execute();
  await db.schema
    .createIndex('referral_ledger_account')
    .on('referral_ledger')
    .columns(['account_id', 'occurred_at'])
    .execute();
  // The referred account's discount is found from the referrer's event that names it.
  await sql`create index account_events_referred on account_events ((data->>'referredAccountId'))
            where name = 'referral.converted'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists account_events_referred`.execute(db);
  await db.schema.dropTable('referral_ledger').execute();
}
