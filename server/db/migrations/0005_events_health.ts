import { sql, type Kysely } from 'kysely';

// Account events (the per-account ordered log the entity workflow reads), API tokens for the systems that send
// them, scorecard versions, and the history of health scores with the why of each.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The per-account sequence counter. Assigning `seq` locks this row (insert … on conflict do update) until the
  // inserting transaction commits, so one account's events commit in seq order and a rollback returns the numbers:
  // seq is gapless per account, and a reader that has seen seq N never later finds a smaller one appear.
  await db.schema
    .createTable('account_event_counters')
    .addColumn('account_id', 'uuid', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    // The earliest occurred_at of the account's events: with accounts.created_at, when Stayflow's view of the
    // account begins (health does not judge a window it has not observed). Kept here to avoid a scan per score.
    .addColumn('first_occurred_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('account_events')
    // The global order of arrival; ids of concurrent transactions may commit out of order, so consumers follow seq.
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('idempotency_key', 'text')
    .addUniqueConstraint('account_events_account_seq', ['account_id', 'seq'])
    .execute();
  await sql`create unique index account_events_idempotency on account_events (account_id, idempotency_key)
            where idempotency_key is not null`.execute(db);
  // Health metrics aggregate one account's events of a few names over a window ending at an instant.
  await db.schema
    .createIndex('account_events_metrics')
    .on('account_events')
    .columns(['account_id', 'name', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    // sha-256 of the secret, hex; the secret itself is shown once at creation and never stored.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('scorecard_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // One row per computation: the newest is the account's health, the rest its history.
  await db.schema
    .createTable('account_health')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('scorecard_version', 'integer', (c) => c.notNull().references('scorecard_versions.version'))
    .addColumn('risk_score', 'integer', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('health_score', 'integer', (c) => c.notNull())
    .addColumn('fired', 'jsonb', (c) => c.notNull())
    .addColumn('quiet', 'jsonb', (c) => c.notNull())
    // The instant the score describes (the sweep's or the test's asOf), not when the row was written.
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index account_health_latest on account_health (account_id, computed_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_health').execute();
  await db.schema.dropTable('scorecard_versions').execute();
  await db.schema.dropTable('api_tokens').execute();
  await db.schema.dropTable('account_events').execute();
  await db.schema.dropTable('account_event_counters').execute();
}
