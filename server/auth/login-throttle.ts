import { sql } from 'kysely';
import type { Db } from '../db/database.js';

// Sign-in attempts are limited per account and per client address, counted in the database (login_throttle): the
// count survives a restart and is shared by every API process, so neither restarting nor spreading guesses over
// replicas buys an attacker more tries. Per account stops guessing one person's password from many addresses; per
// address stops one client trying a password against many accounts. A lock refuses even the right password, and
// says so with when to try again: the message is the same whether the account exists.

export interface ThrottleRule {
  failures: number;
  windowMs: number;
  lockMs: number;
}

export const THROTTLE = {
  account: { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ip: { failures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

export const accountKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** The latest lock among these keys that is still on, if any. */
export async function lockedUntil(db: Db, keys: string[], now: Date): Promise<Date | undefined> {
  const rows = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('key', 'in', keys)
    .where('locked_until', '>', now)
    .execute();
  const ends = rows.map((row) => row.locked_until!.getTime());
  return ends.length > 0 ? new Date(Math.max(...ends)) : undefined;
}

/** Counts one failure for the key in its window; the failure that reaches the limit locks the key. */
export async function recordFailure(db: Db, key: string, rule: ThrottleRule, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const lockEnd = new Date(now.getTime() + rule.lockMs);
  await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_started_at: now, locked_until: rule.failures <= 1 ? lockEnd : null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // A window that has passed starts again at this failure.
        failures: sql<number>`case when login_throttle.window_started_at <= ${windowStart} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql<Date>`case when login_throttle.window_started_at <= ${windowStart} then ${now}::timestamptz else login_throttle.window_started_at end`,
        locked_until: sql<Date | null>`case
          when (case when login_throttle.window_started_at <= ${windowStart} then 1 else login_throttle.failures + 1 end) >= ${rule.failures}
          then ${lockEnd}::timestamptz else login_throttle.locked_until end`,
      }),
    )
    .execute();
}

/** A successful sign-in clears the account's count (not the address's: one success does not excuse a spray). */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Deletes counts whose window and lock have both passed: they would start afresh anyway. */
export async function forgetOldFailures(db: Db, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - Math.max(THROTTLE.account.windowMs, THROTTLE.ip.windowMs));
  await db
    .deleteFrom('login_throttle')
    .where('window_started_at', '<', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}
