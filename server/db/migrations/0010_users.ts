import { sql, type Kysely } from 'kysely';

// People and access: users (with their role, their manager and the CSM profile that used to be csm_profiles),
// server-side sessions, the login throttle, API tokens' expiry and creator, and the append-only audit log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Lower-cased: accounts name their owner CSM and CSM manager by email, matched without case.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'ops', 'manager', 'csm', 'viewer')`))
    // A CSM's manager: the manager's team is the CSMs that name them here.
    .addColumn('manager_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    // argon2id (PHC string). Null: the person cannot sign in (a CSM known only for their email signature).
    .addColumn('password_hash', 'text')
    .addColumn('booking_link', 'text')
    .addColumn('signature', 'text')
    .addColumn('deactivated_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('users_manager').on('users').column('manager_id').execute();
  // Every CSM profile becomes a CSM without a password: their emails keep signing the same way.
  await sql`insert into users (email, name, role, booking_link, signature, updated_at)
            select lower(email), name, 'csm', booking_link, signature, updated_at from csm_profiles`.execute(db);
  await db.schema.dropTable('csm_profiles').execute();

  await db.schema
    .createTable('sessions')
    // sha-256 of the cookie's secret, hex: a leaked database holds no usable session.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The CSRF token the web app echoes in X-CSRF-Token on unsafe requests (synchronizer token, kept server-side).
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    // The absolute end, whatever the activity.
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  // Failed sign-ins per key (`email:<address>`, `ip:<address>`) in the current window, and the lock they earned.
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();

  await db.schema
    .alterTable('api_tokens')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  // The one scope of before is now named for what it allows.
  await sql`update api_tokens set scopes = array_replace(scopes, 'events', 'events:write')`.execute(db);

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // user, token, system or anonymous (a failed sign-in)
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text')
    .addColumn('target_id', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('ip', 'text')
    .execute();
  await sql`create index audit_log_action on audit_log (action, id desc)`.execute(db);
  await sql`create index audit_log_target on audit_log (target_kind, target_id, id desc)`.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_id, id desc)`.execute(db);
  // Append-only in the database itself, not only by convention in the code.
  await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
            begin raise exception 'audit_log is append-only'; end $$`.execute(db);
  await sql`create trigger audit_log_append_only before update or delete or truncate on audit_log
            for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_log_append_only()`.execute(db);
  await db.schema.alterTable('api_tokens').dropColumn('created_by').dropColumn('expires_at').execute();
  await db.schema.dropTable('login_throttle').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema
    .createTable('csm_profiles')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('booking_link', 'text')
    .addColumn('signature', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`insert into csm_profiles (email, name, booking_link, signature, updated_at)
            select email, name, booking_link, signature, updated_at from users
            where booking_link is not null or signature is not null or name is not null`.execute(db);
  await db.schema.dropTable('users').execute();
}
