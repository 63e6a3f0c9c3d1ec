import { isGrpcDeadlineError, isGrpcServiceError } from '@temporalio/client';
import type { Issue } from '../../engine/errors.js';
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
    return new HttpError(STATUS_OF[error.kind], error.code, error.message, error.issues);
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
