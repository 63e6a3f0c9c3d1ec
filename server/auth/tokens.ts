import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';
import { DomainError, notFound } from '../errors.js';
import type { Db } from '../db/database.js';

// API tokens for the systems that call Stayflow (a product sending events, a help desk). The secret `sf_…` is
// shown once at creation; the database keeps its sha-256 only, so a leaked database does not leak access. A
// token carries scopes; a route asks for one. People (users, sessions) are another issue's work.

export const TokenScope = z.enum(['events']).meta({ description: 'events: POST /api/events.' });
export type TokenScope = z.infer<typeof TokenScope>;

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const PREFIX = 'sf_';
// 32 random bytes in base64url: 43 characters.
const SECRET = /^sf_[A-Za-z0-9_-]{43}$/;
// A busy integration would otherwise write a row per request.
const LAST_USED_RESOLUTION = sql`interval '1 minute'`;

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

type TokenRow = {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};
const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});
const columns = ['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'] as const;

/** Creates a token; the secret is in the answer and nowhere else. */
// Scopes are words like events or accounts:read. Routes ask for a TokenScope; the store takes any well-formed
// scope, so scopes that later routes will ask for can be granted ahead (the CLI offers only the known ones).
const SCOPE = /^[a-z][a-z0-9_-]*(:[a-z][a-z0-9_-]*)?$/;

export async function createToken(
  db: Db,
  input: { name: string; scopes: string[] },
): Promise<{ token: ApiToken; secret: string }> {
  const name = input.name.trim();
  if (!name) throw new DomainError('invalid', 'invalid_request', 'A token needs a name (what will use it)');
  if (input.scopes.length === 0) throw new DomainError('invalid', 'invalid_request', 'A token needs at least one scope');
  const malformed = input.scopes.find((scope) => !SCOPE.test(scope));
  if (malformed !== undefined) throw new DomainError('invalid', 'invalid_request', `'${malformed}' is not a scope name`);
  const secret = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ name, token_hash: hashOf(secret), scopes: [...new Set(input.scopes)] })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return { token: toToken(row), secret };
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  return (await db.selectFrom('api_tokens').select(columns).orderBy('created_at').execute()).map(toToken);
}

/** Revokes a token at once (idempotent: revoking twice keeps the first time). */
export async function revokeToken(db: Db, id: string): Promise<ApiToken> {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  if (!row) throw notFound(`Token ${id}`);
  return toToken(row);
}

/** The live (not revoked) token a secret belongs to, or undefined. */
export async function verifyToken(db: Db, secret: string): Promise<ApiToken | undefined> {
  if (!SECRET.test(secret)) return undefined;
  const hash = hashOf(secret);
  const row = await db
    .selectFrom('api_tokens')
    .select([...columns, 'token_hash'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  // The lookup is by hash, so its timing says nothing about the secret; the comparison is constant-time anyway.
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
  if (row.revoked_at) return undefined;
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', row.id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - ${LAST_USED_RESOLUTION}`)]),
    )
    .execute();
  return toToken(row);
}

/**
 * Checks `Authorization: Bearer sf_…` for `scope`: 401 when it is missing, unknown or revoked (with
 * `WWW-Authenticate`), 403 when the token lacks the scope. Answers the token.
 */
export async function authorizeRequest(db: Db, req: Request, res: Response, scope: TokenScope): Promise<ApiToken> {
  const unauthorized = (message: string) => {
    res.setHeader('WWW-Authenticate', `Bearer realm="stayflow", scope="${scope}"`);
    return new DomainError('unauthenticated', 'unauthorized', message);
  };
  const header = req.get('authorization');
  if (!header)
    throw unauthorized(`This route needs an API token with the '${scope}' scope: Authorization: Bearer sf_…`);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>"');
  const token = await verifyToken(db, match[1]!);
  if (!token) throw unauthorized('The API token is not valid (unknown or revoked)');
  if (!token.scopes.includes(scope)) {
    throw new DomainError('forbidden', 'forbidden', `The API token '${token.name}' lacks the '${scope}' scope`);
  }
  return token;
}

/** Express middleware form of authorizeRequest; the token is left in `res.locals.apiToken`. */
export function requireToken(db: Db, scope: TokenScope): RequestHandler {
  return (req, res, next) => {
    authorizeRequest(db, req, res, scope).then((token) => {
      res.locals.apiToken = token;
      next();
    }, next);
  };
}
