import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';
import { isUuid } from '../db/uuid.js';
import { DomainError, notFound } from '../errors.js';
import { ApiToken, TokenScope } from '../../engine/people/api-token.js';

// API tokens for the systems that call Stayflow (a product sending events, a help desk, the CLI in CI). The secret
// is shown once at creation; the database keeps its sha-256 only, so a leaked database does not leak access. A token
// carries scopes (server/auth/scopes.ts), may expire, and records when it was last used.

export { TokenScope };

export { ApiToken };

const PREFIX = 'sf_';
// Generated secrets are sf_ + 32 random bytes (43 base64url characters); a bootstrap token (STAYFLOW_BOOTSTRAP_TOKEN)
// is whatever the operator chose, within these bounds.
const SECRET = /^[A-Za-z0-9._~+/=-]{32,256}$/;
// A busy integration would otherwise write a row per request.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * How long this process trusts a token it has verified without asking the database again: a busy integration
 * would otherwise cost a query per request. A revoke through this process (DELETE /api/tokens/:id, the CLI) clears
 * the cache, so it takes effect at once here; another API process sharing the database notices within this window.
 * Expiry is checked on every request against the cached row.
 */
export const TOKEN_CACHE_MS = 5_000;
/** Live tokens verified per database; cleared whole when it grows past this (a flood of distinct secrets). */
const TOKEN_CACHE_MAX = 1_000;

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

type TokenRow = {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  created_by: string | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};
const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  // Scopes no longer known (from a newer release, rolled back) grant nothing.
  scopes: row.scopes.filter((scope): scope is TokenScope => TokenScope.safeParse(scope).success),
  createdAt: row.created_at.toISOString(),
  createdBy: row.created_by,
  expiresAt: row.expires_at?.toISOString() ?? null,
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});
const columns = [
  'id',
  'name',
  'scopes',
  'created_at',
  'created_by',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const;

export interface NewToken {
  name: string;
  scopes: TokenScope[];
  expiresAt?: Date | null;
  createdBy?: string | null;
  /** The secret to use instead of a random one (STAYFLOW_BOOTSTRAP_TOKEN). */
  secret?: string;
}

/** Creates a token; the secret is in the answer and nowhere else. */
export async function createToken(
  db: Db,
  input: NewToken,
  now = new Date(),
): Promise<{ token: ApiToken; secret: string }> {
  const name = input.name.trim();
  if (!name) throw new DomainError('invalid', 'invalid_request', 'A token needs a name (what will use it)');
  if (input.scopes.length === 0)
    throw new DomainError('invalid', 'invalid_request', 'A token needs at least one scope');
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw new DomainError('unprocessable', 'invalid_expiry', 'expiresAt must be in the future');
  }
  const secret = input.secret ?? `${PREFIX}${randomBytes(32).toString('base64url')}`;
  if (!SECRET.test(secret)) {
    throw new DomainError('invalid', 'invalid_request', 'A token secret is 32 to 256 letters, digits or ._~+/=-');
  }
  const row = await db
    .insertInto('api_tokens')
    .values({
      name,
      token_hash: hashOf(secret),
      scopes: [...new Set(input.scopes)],
      expires_at: input.expiresAt ?? null,
      created_by: input.createdBy ?? null,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return { token: toToken(row), secret };
}

/** Whether a token with this secret was ever made (revoked or not): a bootstrap token is made once. */
export async function tokenExists(db: Db, secret: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('token_hash', '=', hashOf(secret))
    .executeTakeFirst();
  return row !== undefined;
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  return (await db.selectFrom('api_tokens').select(columns).orderBy('created_at').execute()).map(toToken);
}

/** Tokens oldest first, a page at a time (keyset on creation time and id). */
export async function pageTokens(db: Db, page: { limit: number; cursor?: string }) {
  return keysetPage(db.selectFrom('api_tokens').select(columns), page, {
    order: 'asc',
    keys: [
      ['created_at', 'time'],
      ['id', 'uuid'],
    ],
    item: toToken,
  });
}

interface Verified {
  row: TokenRow;
  /** When it was read from the database (this process's monotonic clock). */
  readAt: number;
  /** The revocation count when it was read: any revoke since makes the entry stale. */
  revocations: number;
}
// Keyed by database first: tests (and the bench) open several databases in one process.
const verified = new WeakMap<Db, Map<string, Verified>>();
let revocations = 0;

/** Revokes a token at once (idempotent: revoking twice keeps the first time). */
export async function revokeToken(db: Db, id: string): Promise<ApiToken> {
  // Before and after the write: a verification that read the row before the revoke committed must not be kept.
  revocations++;
  try {
    return await revoke(db, id);
  } finally {
    revocations++;
  }
}

async function revoke(db: Db, id: string): Promise<ApiToken> {
  const row = isUuid(id)
    ? await db
        .updateTable('api_tokens')
        .set({ revoked_at: sql`coalesce(revoked_at, now())` })
        .where('id', '=', id)
        .returning(columns)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Token ${id}`);
  return toToken(row);
}

/**
 * The live token a secret belongs to — not revoked, not expired — or undefined; records its use. A token verified
 * in the last TOKEN_CACHE_MS is answered from memory (see there for when a revoke is seen).
 */
export async function verifyToken(db: Db, secret: string, now = new Date()): Promise<ApiToken | undefined> {
  if (!SECRET.test(secret)) return undefined;
  const hash = hashOf(secret);
  let cache = verified.get(db);
  const hit = cache?.get(hash);
  let row: TokenRow;
  if (hit && hit.revocations === revocations && performance.now() - hit.readAt < TOKEN_CACHE_MS) {
    row = hit.row;
  } else {
    const seen = revocations;
    const readAt = performance.now();
    const found = await db
      .selectFrom('api_tokens')
      .select([...columns, 'token_hash'])
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    // The lookup is by hash, so its timing says nothing about the secret; the comparison is constant-time anyway.
    if (!found || !timingSafeEqual(Buffer.from(found.token_hash, 'hex'), Buffer.from(hash, 'hex'))) {
      cache?.delete(hash);
      return undefined;
    }
    const { token_hash: _hash, ...fresh } = found;
    row = fresh;
    if (row.revoked_at) {
      cache?.delete(hash);
      return undefined;
    }
    // Only live tokens are kept, and only when no revoke ran while this one was read.
    if (seen === revocations) {
      if (!cache) verified.set(db, (cache = new Map()));
      if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
      cache.set(hash, { row, readAt, revocations: seen });
    }
  }
  if (row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now.getTime())) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
    row.last_used_at = now;
  }
  return toToken(row);
}
