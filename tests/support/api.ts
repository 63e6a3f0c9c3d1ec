import { inject } from 'vitest';
import './provided.js';

/**
 * One call to the integration stack's HTTP API, as a client would make it: JSON in, the status and the parsed
 * JSON body out (typed loosely: tests assert on the shapes they read).
 */
export async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
