import type { Request } from 'express';
import type { Db } from '../db/database.js';
import { fromLoopback, type OperatorToken } from './operator-token.js';
import type { Principal, Role } from './principal.js';
import { resolveSession, type LiveSession, type SessionPolicy } from './sessions.js';
import { teamOf } from './users.js';
import { verifyToken } from './tokens.js';

// Who a request comes from: `Authorization: Bearer <token>` (an API token, or the local operator token), else the
// session cookie. A request carrying a bearer token is judged by it alone: a cookie beside it is ignored.

export interface AuthSettings {
  db: Db;
  cookieName: string;
  session: SessionPolicy;
  operator?: OperatorToken;
}

export type Authentication =
  | { principal: Principal; via: 'bearer'; live?: undefined }
  | { principal: Principal; via: 'cookie'; live: LiveSession }
  /** No credentials, or credentials that are not (or no longer) valid: `failure` says which, for the 401. */
  | { principal?: undefined; via?: undefined; live?: undefined; failure?: string };

/** The value of one cookie, from the Cookie header. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      // A value that is not valid %-encoding is no cookie this server set: treated as absent (401), not a 500.
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export async function authenticate(req: Request, auth: AuthSettings): Promise<Authentication> {
  const header = req.get('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return { failure: 'The Authorization header must be "Bearer <token>"' };
    const secret = match[1]!;
    if (auth.operator?.matches(secret)) {
      if (!fromLoopback(req.socket.remoteAddress)) {
        return { failure: 'The local operator token is accepted only from this machine' };
      }
      return {
        principal: { kind: 'token', tokenId: 'operator', name: 'local operator', scopes: ['admin'] },
        via: 'bearer',
      };
    }
    const token = await verifyToken(auth.db, secret, auth.session.now());
    if (!token) return { failure: 'The API token is not valid (unknown, expired or revoked)' };
    return {
      principal: { kind: 'token', tokenId: token.id, name: token.name, scopes: token.scopes },
      via: 'bearer',
    };
  }
  const secret = cookieValue(req, auth.cookieName);
  if (secret === undefined) return {};
  const live = await resolveSession(auth.db, secret, auth.session);
  if (!live) return { failure: 'Your session has ended: sign in again' };
  const { user } = live;
  const role = user.role as Role;
  return {
    principal: {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      role,
      team: role === 'manager' ? await teamOf(auth.db, user.id) : [],
      sessionId: live.session.id,
    },
    via: 'cookie',
    live,
  };
}
