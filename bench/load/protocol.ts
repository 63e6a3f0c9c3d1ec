// What the bench asks of its load generator (a separate process, so the client's own work never runs on the event
// loop of the server it measures), and what it answers.

export interface LoadRequest {
  url: string;
  /** A JSON body to POST; without one the request is a GET. */
  body?: unknown;
}

export type LoadJob =
  /** Closed loop: every request, at most `inFlight` at once. */
  | { kind: 'closed'; requests: LoadRequest[]; headers: Record<string, string>; inFlight: number; expect: number }
  /** Open loop: request i is sent at start + i / rate, whether or not earlier ones have answered. */
  | { kind: 'open'; requests: LoadRequest[]; headers: Record<string, string>; ratePerSecond: number; expect: number };

export interface LoadResult {
  /** Milliseconds per request, in the order of the requests: from when it was due (open loop) or sent to its answer. */
  latencies: number[];
  elapsedMs: number;
  /** Answers other than `expect` (the first few, with their bodies). */
  errors: string[];
}
