import { inject } from 'vitest';
import './provided.js';
import { TEST_ADMIN_TOKEN } from './test-config.js';

/**
 * Request headers as the test stacks' admin: the stack's bootstrap token, unless the headers carry their own
 * Authorization (`authorization: ''` sends none: an anonymous request).
 */
export function asAdmin(headers: Record<string, string> = {}): Record<string, string> {
  const { authorization, ...rest } = headers;
  if (authorization === '') return rest;
  return { ...rest, authorization: authorization ?? `Bearer ${TEST_ADMIN_TOKEN}` };
}

/**
 * One call to the integration stack's HTTP API, as a client would make it: JSON in, the status and the parsed
 * JSON body out (typed loosely: tests assert on the shapes they read). It acts as the stack's admin (`asAdmin`).
 */
export async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: asAdmin(body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
