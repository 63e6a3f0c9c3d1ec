import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { toIssues } from '../../engine/errors.js';
import { HttpError } from './http-error.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

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
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: Route<P, Q, B>,
): Route<P, Q, B> {
  return spec;
}

export function mountRoutes(router: Router, routes: Route<never, never, never>[]): void {
  for (const r of routes as unknown as Route[]) {
    router[r.method](r.path, async (req, res) => {
      const params = parse(r.params, req.params, 'path parameter');
      const query = parse(r.query, req.query, 'query parameter');
      const body = parse(r.body, req.body, 'body');
      const result = await r.handler({ params, query, body, req, res });
      if (!res.headersSent) res.status(r.status ?? 200).json(result);
    });
  }
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
