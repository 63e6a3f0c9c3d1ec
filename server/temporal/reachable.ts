import type { Client } from '@temporalio/client';

/**
 * How long Temporal may take to answer "are you there" before a change that needs it answers 503. Three seconds,
 * not one: a loaded machine (CI's two cores under every test lane) must not turn a live Temporal into a refusal.
 */
export const ENGINE_REACHABLE_MS = 3_000;

/**
 * Resolves when the Temporal frontend answers a question it answers from memory (GetSystemInfo) within
 * ENGINE_REACHABLE_MS; otherwise rejects with the gRPC error (DEADLINE_EXCEEDED or UNAVAILABLE), which callers turn
 * into a 503 "nothing changed" (server/approvals/engine-unavailable.ts).
 *
 * Why a probe and not a deadline on the change itself: without any deadline the client's retry interceptor retries
 * UNAVAILABLE about ten times with backoff, so a caller learns that Temporal is down only after ≈ 20 s. An update
 * (a decision, a skipped wait) cut short by its own deadline, though, may still have reached the run — answering
 * "nothing changed" then would be a lie. The probe changes nothing, so cutting it short is always honest.
 */
export async function ensureEngineReachable(client: Client, ms = ENGINE_REACHABLE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // The deadline alone is checked only between the retry interceptor's attempts, after its backoff sleep (≈ 3.3 s
  // for a 2 s deadline): the timer answers on time, and the call itself still ends by its deadline.
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(deadlineExceeded(ms)), ms);
  });
  try {
    await Promise.race([
      client.connection.withDeadline(Date.now() + ms, () => client.workflowService.getSystemInfo({})),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Shaped as the gRPC client's own DEADLINE_EXCEEDED (code 4), so isGrpcDeadlineError and the 503 mapping know it. */
function deadlineExceeded(ms: number): Error {
  const details = `Temporal did not answer within ${ms} ms`;
  return Object.assign(new Error(`4 DEADLINE_EXCEEDED: ${details}`), { code: 4, details, metadata: {} });
}
