import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { toIssues } from '../../engine/errors.js';
import type { AccountOwners } from '../auth/ownership.js';
import type { Principal, Role } from '../auth/principal.js';
import type { TokenScope } from '../auth/scopes.js';
import { authenticate, type AuthSettings } from '../auth/authenticate.js';
import { admitCaller, checkOwnership } from './access.js';
import { HttpError } from './http-error.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
  /** Who is calling; undefined only on public routes called without credentials. */
  principal: Principal | undefined;
}

/**
 * The ownership rule of a route, applied to the roles bound by ownership (csm and manager); admin, ops, viewer and
 * API tokens are not. Either the gate checks it (`of`: every owner set it answers must be the caller's; it throws
 * not-found for something that does not exist, so a 404 stays a 404), or the handler narrows what it lists to the
 * caller's (`narrowed`, using `visibleOwners(principal)`).
 */
export type Ownership<P, Q, B> =
  | {
      /** What must be the caller's, for the docs and the 403 message, e.g. "the account". */
      what: string;
      of(input: { params: P; query: Q; body: B; principal: Principal }): Promise<AccountOwners[]>;
    }
  | { what: string; narrowed: true };

/**
 * Who may call a route. Public routes say why they are public. Otherwise: the roles of people (session cookie)
 * admitted, the token scope that admits an API token (none: sessions only), and the ownership rule.
 * Unauthenticated → 401; a role or scope not admitted, or not the owner → 403; in both cases the handler never runs.
 */
export type Access<P = unknown, Q = unknown, B = unknown> =
  { public: string } | { roles: readonly Role[]; scope?: TokenScope; owner?: Ownership<P, Q, B> };

/**
 * One API operation: its schemas validate the request and document it in OpenAPI, so the two cannot drift.
 * The handler returns the response body; it never sees unvalidated input.
 */
export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** A body that is not JSON (e.g. text/csv): the handler reads it from `req`; this documents it. */
  rawBody?: { contentType: string; description: string };
  status?: number;
  response: z.ZodType;
  /** Extra error statuses the operation can answer with, for the docs. */
  errors?: number[];
  /**
   * A response that is not JSON (an HTML page, an image, a redirect), for the docs: its media type (none for a
   * redirect, which has a Location instead) and the error statuses answered as an HTML page rather than a problem.
   */
  produces?: { contentType?: string; redirect?: true; htmlErrors?: number[] };
  /** The OpenAPI operationId, when the one derived from the method and path (openapi.ts) does not read well. */
  operationId?: string;
  /** Who may call it. Required: a route without a rule does not compile. */
  access: Access<NoInfer<P>, NoInfer<Q>, NoInfer<B>>;
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: Route<P, Q, B>,
): Route<P, Q, B> {
  return spec;
}

/**
 * Mounts each route behind the gate: who is calling and whether their role or scope is admitted (401/403), then the
 * input parsed (400), then the ownership rule (403), and only then the handler. `res.locals.authentication` keeps
 * how the caller was recognised (the session routes need it).
 */
export function mountRoutes(router: Router, routes: Route<never, never, never>[], auth: AuthSettings): void {
  const paths = [...new Set((routes as unknown as Route[]).map((r) => r.path))];
  for (const r of routes as unknown as Route[]) {
    // A route that slipped past the type checker without a rule admits nobody (fail closed).
    const access: Access = (r.access as Access | undefined) ?? { roles: [] };
    // Fixed paths this parameter route also fits (/api/playbooks/:id/migrations/dry-run beside …/:migrationId): a
    // request for one of them that is no valid value of the parameter is theirs — answered by their own route or a
    // 405 with their methods, not this route's "must be a UUID". (A valid value stays this route's: a playbook may
    // be keyed `validate`.)
    const shadows = paths.filter((other) => other !== r.path && moreSpecific(other, r.path));
    router[r.method](r.path, async (req, res, next) => {
      const theirs = shadows.some((other) => fits(other, req.path));
      if (theirs && r.params && !r.params.safeParse(req.params).success) return next();
      const authentication = await authenticate(req, auth);
      res.locals.authentication = authentication;
      const principal = admitCaller(access, authentication, req, res, res.locals.origin as string);
      const params = parse(r.params, req.params, 'path parameter');
      const query = parse(r.query, req.query, 'query parameter');
      const body = parse(r.body, req.body, 'body');
      await checkOwnership(access, { params, query, body }, principal);
      const result = await r.handler({ params, query, body, req, res, principal });
      if (!res.headersSent) res.status(r.status ?? 200).json(result);
    });
  }
  // A known path asked with a method it does not have: 405 with the methods it has (RFC 9110), not a 404 that
  // would say the resource does not exist. When the path fits more than one route shape (/api/runs/bulk also fits
  // /api/runs/:id), the most specific — fewest parameters — says which methods; the last handler answers. HEAD goes
  // with GET (Express answers it).
  const methods = new Map<string, Set<string>>();
  for (const r of routes as unknown as Route[]) {
    const set = methods.get(r.path) ?? new Set<string>();
    set.add(r.method.toUpperCase());
    if (r.method === 'get') set.add('HEAD');
    methods.set(r.path, set);
  }
  for (const [path, allowed] of methods) {
    const params = path.split('/').filter((part) => part.startsWith(':')).length;
    router.all(path, (_req, res, next) => {
      const best = res.locals.allow as { params: number; methods: Set<string> } | undefined;
      if (!best || params < best.params) res.locals.allow = { params, methods: new Set(allowed) };
      else if (params === best.params) for (const method of allowed) best.methods.add(method);
      next();
    });
  }
  router.use((req, res, next) => {
    const allow = res.locals.allow as { methods: Set<string> } | undefined;
    if (!allow) return next();
    const list = [...allow.methods].join(', ');
    res.set('allow', list);
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; this path takes ${list}`));
  });
}

const segments = (path: string) => path.split('/').filter(Boolean);

/** Whether a request path fits a route path (`:name` takes any one segment). */
function fits(pattern: string, path: string): boolean {
  const want = segments(pattern);
  const got = segments(path);
  return want.length === got.length && want.every((part, i) => part.startsWith(':') || part === got[i]);
}

/** Whether `a` names a subset of what `b` does, with a fixed segment where `b` has a parameter. */
function moreSpecific(a: string, b: string): boolean {
  const x = segments(a);
  const y = segments(b);
  if (x.length !== y.length) return false;
  let fixedWhereParam = false;
  for (let i = 0; i < x.length; i++) {
    if (y[i]!.startsWith(':')) fixedWhereParam ||= !x[i]!.startsWith(':');
    else if (x[i] !== y[i]) return false;
  }
  return fixedWhereParam;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues = toIssues(parsed.error);
  const first = issues[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid';
  throw new HttpError(
    400,
    'invalid_request',
    `Invalid ${where} — ${summary}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    issues,
  );
}
