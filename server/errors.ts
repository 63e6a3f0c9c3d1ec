import type { Issue } from '../engine/errors.js';

/**
 * What went wrong, in the domain's words. Domain services (stores, the email outbox, enrollment) throw these;
 * the worker branches on `kind`, and only `server/api/` turns a kind into an HTTP status (see api/http-error.ts),
 * so no service knows it is being called over HTTP.
 */
export type DomainErrorKind =
  | 'invalid' // the input cannot be used as given (a malformed cursor, a bad CSV file)
  | 'unprocessable' // well-formed but refused by a rule (a playbook that does not compile)
  | 'not_found'
  | 'conflict' // the state forbids it now (already enrolled, archived, not running)
  | 'too_large'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited' // too many attempts: wait, then try again
  | 'unavailable'; // a part we depend on (Temporal, the database) did not answer: retry later

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine-readable code, e.g. `already_enrolled`; clients branch on it. */
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    /** In how many seconds trying again can succeed (a lock-out's end); the API says so in Retry-After. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', 'not_found', `${what} was not found`);

export const isDomainError = (error: unknown, kind?: DomainErrorKind): error is DomainError =>
  error instanceof DomainError && (kind === undefined || error.kind === kind);
