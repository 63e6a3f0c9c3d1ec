import { isGrpcDeadlineError, isGrpcServiceError } from '@temporalio/client';
import { DomainError } from '../errors.js';

/**
 * Temporal could not be reached, or did not answer in time (gRPC UNAVAILABLE or DEADLINE_EXCEEDED, on the error or
 * on the cause the client wraps it in). Nothing was decided or skipped: the caller answers 503, never a refusal
 * such as "not waiting", which would tell a person the run said no.
 */
export function isEngineUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcDeadlineError(e)) return true;
    if (isGrpcServiceError(e) && (e.code === 14 || e.code === 4)) return true;
  }
  return false;
}

/** The 503 for a change the engine could not take: `what` is "the decision on approval …", "skipping the wait …". */
export function engineUnavailable(what: string): DomainError {
  return new DomainError(
    'unavailable',
    'engine_unavailable',
    `The workflow engine cannot be reached; ${what} was not recorded and nothing changed. Try again in a moment`,
  );
}

/** How long a probe of the run may take before the engine counts as unreachable. */
export const ENGINE_PROBE_MS = 5_000;
