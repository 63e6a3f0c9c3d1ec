import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { SessionsTable, UsersTable } from '../db/schema.js';

// Sessions live in the database, so signing out, deactivating a user or changing their password ends them at once
// and every API process agrees. The cookie carries a random secret; the table keeps its sha-256 as the id.

export interface SessionPolicy {
  /** A session unused this long has ended. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteMs: number;
  now(): Date;
}

// Recording every request's time would be a write per request; a minute is finer than any idle timeout.
const TOUCH_RESOLUTION_MS = 60_000;

const idOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface NewSession {
  /** Goes in the cookie, and nowhere else. */
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
  policy: SessionPolicy,
): Promise<NewSession> {
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = policy.now();
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  await db
    .insertInto('sessions')
    .values({
      id: idOf(secret),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { secret, csrfToken, expiresAt };
}

export interface LiveSession {
  session: Selectable<SessionsTable>;
  user: Selectable<UsersTable>;
  /** When it ends if unused from now on: the sooner of the idle and the absolute end. */
  endsAt: Date;
}

/**
 * The live session a cookie's secret names, with its user, and marks it used. A session past its idle or absolute
 * end, or of a deactivated user, is deleted and answers undefined.
 */
export async function resolveSession(db: Db, secret: string, policy: SessionPolicy): Promise<LiveSession | undefined> {
  if (!SECRET.test(secret)) return undefined;
  const id = idOf(secret);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select([
      'users.id as u_id',
      'users.email as u_email',
      'users.name as u_name',
      'users.role as u_role',
      'users.manager_id as u_manager_id',
      'users.password_hash as u_password_hash',
      'users.booking_link as u_booking_link',
      'users.signature as u_signature',
      'users.deactivated_at as u_deactivated_at',
      'users.created_at as u_created_at',
      'users.updated_at as u_updated_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = policy.now().getTime();
  const idleEnd = row.last_seen_at.getTime() + policy.idleMs;
  if (now >= idleEnd || now >= row.expires_at.getTime() || row.u_deactivated_at !== null) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return undefined;
  }
  let lastSeen = row.last_seen_at;
  if (now - row.last_seen_at.getTime() >= TOUCH_RESOLUTION_MS) {
    lastSeen = new Date(now);
    await db.updateTable('sessions').set({ last_seen_at: lastSeen }).where('id', '=', id).execute();
  }
  const session: Selectable<SessionsTable> = {
    id: row.id,
    user_id: row.user_id,
    csrf_token: row.csrf_token,
    created_at: row.created_at,
    last_seen_at: lastSeen,
    expires_at: row.expires_at,
    ip: row.ip,
    user_agent: row.user_agent,
  };
  const user: Selectable<UsersTable> = {
    id: row.u_id,
    email: row.u_email,
    name: row.u_name,
    role: row.u_role,
    manager_id: row.u_manager_id,
    password_hash: row.u_password_hash,
    booking_link: row.u_booking_link,
    signature: row.u_signature,
    deactivated_at: row.u_deactivated_at,
    created_at: row.u_created_at,
    updated_at: row.u_updated_at,
  };
  const endsAt = new Date(Math.min(lastSeen.getTime() + policy.idleMs, row.expires_at.getTime()));
  return { session, user, endsAt };
}

/** Signs out: the session is gone, whatever copies of the cookie exist. */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Deletes sessions past their end (called now and then; an expired session is refused whether or not deleted). */
export async function deleteEndedSessions(db: Db, policy: SessionPolicy): Promise<void> {
  const now = policy.now();
  await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - policy.idleMs))]),
    )
    .execute();
}
