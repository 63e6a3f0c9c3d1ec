import { STATUS_CODES } from 'node:http';
import { isGrpcDeadlineError, isGrpcServiceError } from '@temporalio/client';
import type { Response } from 'express';
import { z } from 'zod';
import { Issue } from '../../engine/errors.js';
import { DomainError, type DomainErrorKind } from '../errors.js';

/**
 * An error with its HTTP status: what the API layer itself raises (a request that does not parse) and what every
 * other error becomes on its way out (`toHttpError`). The domain never sees it.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    /** In how many seconds a retry can succeed (429 and 503); the response's Retry-After says so. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

/** The one place a domain error's kind becomes an HTTP status. */
const STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  unavailable: 503,
};

/** Any error thrown while handling a request, as the response it becomes; what a client cannot have caused is 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError)
    return new HttpError(STATUS_OF[error.kind], error.code, error.message, error.issues, error.retryAfterS);
  // Temporal did not answer in time, or not at all (a query no worker picked up on a loaded machine, the server
  // restarting): nothing the client did wrong, and worth a retry — a 503, never a 500.
  if (isGrpcDeadlineError(error) || unavailableGrpc(error)) {
    return new HttpError(
      503,
      'engine_unavailable',
      'The workflow engine did not answer in time; nothing changed, try again',
    );
  }
  const e = error as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed')
    return new HttpError(400, 'invalid_json', `The body is not valid JSON: ${e.message}`);
  if (e.type === 'entity.too.large') return new HttpError(413, 'body_too_large', 'The body is larger than 1 MB');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new HttpError(415, 'unsupported_encoding', e.message ?? 'Unsupported body encoding');
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, 'bad_request', e.message ?? 'Bad request');
  }
  return new HttpError(500, 'internal', 'Stayflow failed to handle this request; the server log has the details');
}

// gRPC status 14 UNAVAILABLE, on the error or its cause (the client wraps it in a ServiceError).
function unavailableGrpc(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && e.code === 14) return true;
  }
  return false;
}

/** Where the problem types live: `type` is this base and the error's code, stable across releases. */
export const PROBLEM_TYPE_BASE = 'https://stayflow.dev/problems/';

/**
 * Every error the API answers, as an RFC 9457 problem (`application/problem+json`). `code`, `issues` and the older
 * `error` object carry the same facts for clients written before the problem shape (the editor reads `error`).
 */
export const Problem = z
  .object({
    type: z.url().meta({ description: 'The kind of problem: https://stayflow.dev/problems/<code>.' }),
    title: z.string().meta({ description: 'The HTTP status in words, the same for every problem of a type.' }),
    status: z.number().int().min(400).max(599),
    detail: z.string().meta({ description: 'What went wrong this time, for a person.' }),
    instance: z.string().meta({ description: 'The path of the request that failed.' }),
    code: z.string().meta({ description: 'Stable machine-readable code, e.g. not_found, invalid_request.' }),
    issues: z.array(Issue).optional().meta({ description: 'Each problem with the input, where it is.' }),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        issues: z.array(Issue).optional(),
      })
      .meta({ description: 'The same code, detail and issues, in the shape clients used before.' }),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

/** How long a client should wait before retrying a 429 or 503 it cannot otherwise time. */
const DEFAULT_RETRY_AFTER_S: Record<number, number> = { 429: 60, 503: 5 };

/** The problem document of an error (`instance`: the request's path, without its query). */
export function problemOf(error: HttpError, instance: string): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    ...(error.issues && { issues: error.issues }),
    error: { code: error.code, message: error.message, ...(error.issues && { issues: error.issues }) },
  };
}

/** Answers with the problem, as `application/problem+json`, with Retry-After on 429 and 503. */
export function sendProblem(res: Response, error: HttpError, instance: string): void {
  const fallback = DEFAULT_RETRY_AFTER_S[error.status];
  if (fallback !== undefined) res.set('retry-after', String(Math.max(1, Math.ceil(error.retryAfterS ?? fallback))));
  res
    .status(error.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemOf(error, instance)));
}
