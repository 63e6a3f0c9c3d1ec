import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Authentication } from '../auth/authenticate.js';
import type { Principal } from '../auth/principal.js';
import { hasScope } from '../auth/scopes.js';
import { DomainError } from '../errors.js';
import { isOwnerBound, owns } from '../auth/ownership.js';
import type { Access } from './route.js';

// The gate every route passes before its handler runs: who is calling (401 when nobody), whether their role or
// token scope is admitted and, for a session, whether an unsafe request really comes from our own pages (CSRF)
// (403). Ownership, which needs the validated input, is checked right after parsing (checkOwnership).

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const forbidden = (message: string, code = 'forbidden') => new DomainError('forbidden', code, message);

/**
 * A request sent with the session cookie that changes something must come from our own pages: the browser's
 * Sec-Fetch-Site and Origin (when sent) must say so, and the X-CSRF-Token header must carry the session's token,
 * which only our pages can read (GET /api/session). Either alone has gaps (old browsers omit the headers; a token
 * can leak); together they do not. Requests with a bearer token need neither: browsers never add one by themselves.
 */
export function checkCsrf(req: Request, csrfToken: string, origin: string): void {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') {
    throw forbidden(`Refused: a ${site} request may not act with the session cookie`, 'csrf');
  }
  const sentOrigin = req.get('origin');
  if (sentOrigin !== undefined && sentOrigin !== origin) {
    throw forbidden(`Refused: a request from ${sentOrigin} may not act with the session cookie`, 'csrf');
  }
  const token = req.get('x-csrf-token');
  if (token === undefined || !sameSecret(token, csrfToken)) {
    throw forbidden(
      'Refused: the X-CSRF-Token header is missing or wrong (GET /api/session gives the token of the session)',
      'csrf',
    );
  }
}

/**
 * Who may go on, by the route's rule: the principal, or undefined on a public route called without credentials.
 * Throws 401 or 403 otherwise. `origin` is the origin this request's pages have (for the CSRF check).
 */
export function admitCaller(
  access: Access,
  authn: Authentication,
  req: Request,
  res: Response,
  origin: string,
): Principal | undefined {
  if ('public' in access) return authn.principal;
  const { principal } = authn;
  if (!principal) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="stayflow"');
    throw new DomainError(
      'unauthenticated',
      'unauthorized',
      authn.failure ?? 'Sign in (POST /api/session) or send an API token: Authorization: Bearer <token>',
    );
  }
  if (authn.via === 'cookie' && UNSAFE.has(req.method)) checkCsrf(req, authn.live.session.csrf_token, origin);
  if (principal.kind === 'user') {
    if (!access.roles.includes(principal.role)) {
      throw forbidden(`The ${principal.role} role may not do this (${access.roles.join(', ')} may)`);
    }
  } else if (!access.scope) {
    throw forbidden('API tokens may not do this; a person signs in to');
  } else if (!hasScope(principal.scopes, access.scope)) {
    throw forbidden(`The API token '${principal.name}' lacks the '${access.scope}' scope`);
  }
  return principal;
}

/** The route's ownership rule, on validated input: a CSM's own accounts, a manager's team's (403 otherwise). */
export async function checkOwnership(
  access: Access,
  input: { params: unknown; query: unknown; body: unknown },
  principal: Principal | undefined,
): Promise<void> {
  if ('public' in access || !access.owner || !('of' in access.owner) || !principal || !isOwnerBound(principal)) {
    return;
  }
  const owners = await access.owner.of({ ...input, principal });
  if (!owners.every((owner) => owns(principal, owner))) {
    const reach = principal.kind === 'user' && principal.role === 'manager' ? "your team's" : 'yours';
    throw forbidden(`Not ${reach}: ${access.owner.what} belongs to another CSM`);
  }
}
