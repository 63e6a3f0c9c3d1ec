import type { Db } from '../db/database.js';
import { recordAudit } from '../audit/log.js';
import { DomainError } from '../errors.js';
import {
  accountKey,
  clearFailures,
  forgetOldFailures,
  ipKey,
  lockedUntil,
  recordFailure,
  THROTTLE,
} from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import { createSession, deleteEndedSessions, type NewSession, type SessionPolicy } from './sessions.js';
import { findUserByEmail, toUser } from './users.js';
import type { User } from '../../engine/people/user.js';

// Signing in: the throttle first (a locked account or address is refused before any password is checked), then the
// password against its argon2id hash (or a decoy, so an unknown email takes as long), then a new session. Every
// refusal gives the same message whatever the reason — unknown email, wrong password, no password, deactivated —
// and is recorded in the audit log.

const REFUSED = 'The email or password is not right';

export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string; userAgent: string | null },
  policy: SessionPolicy,
): Promise<{ user: User; session: NewSession }> {
  const now = policy.now();
  const email = input.email.trim().toLowerCase();
  const keys = [accountKey(email), ipKey(input.ip)];
  const locked = await lockedUntil(db, keys, now);
  if (locked) {
    await recordAudit(db, {
      actor: { kind: 'anonymous', name: email },
      action: 'login.failed',
      detail: { reason: 'locked', until: locked.toISOString() },
      ip: input.ip,
    });
    throw new DomainError(
      'rate_limited',
      'too_many_attempts',
      `Too many failed sign-ins: try again after ${locked.toISOString()}`,
      undefined,
      Math.ceil((locked.getTime() - now.getTime()) / 1000),
    );
  }
  const user = await findUserByEmail(db, email);
  const matches = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !matches || user.deactivated_at !== null) {
    await recordFailure(db, keys[0]!, THROTTLE.account, now);
    await recordFailure(db, keys[1]!, THROTTLE.ip, now);
    await recordAudit(db, {
      actor: { kind: 'anonymous', name: email },
      action: 'login.failed',
      target: user ? { kind: 'user', id: user.id } : undefined,
      detail: { reason: !user ? 'unknown email' : !matches ? 'wrong password' : 'deactivated' },
      ip: input.ip,
    });
    throw new DomainError('unauthenticated', 'sign_in_refused', REFUSED);
  }
  await clearFailures(db, keys[0]!);
  // Housekeeping, at the rare moment a session is made: rows past their end would only be refused anyway.
  await deleteEndedSessions(db, policy);
  await forgetOldFailures(db, now);
  const session = await createSession(db, user.id, { ip: input.ip, userAgent: input.userAgent }, policy);
  return { user: toUser(user), session };
}
