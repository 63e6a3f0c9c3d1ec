import type { Issue } from '../../../engine/errors.js';

/** An API answer that was not 2xx, carrying the server's `{ error: { code, message, issues } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; issues?: unknown };
  // An RFC 9457 problem's own fields, read when the older `error` object is not there.
  code?: unknown;
  detail?: unknown;
  issues?: unknown;
}

function errorFrom(status: number, body: unknown, fallback: string): ApiError {
  const problem = (body as ErrorBody | null) ?? {};
  const error = problem.error;
  const text = (...values: unknown[]) => values.find((v): v is string => typeof v === 'string');
  const code = text(error?.code, problem.code) ?? `http_${status}`;
  const message = text(error?.message, problem.detail) ?? fallback;
  const issues = [error?.issues, problem.issues].find(Array.isArray) as Issue[] | undefined;
  return new ApiError(status, code, message, issues ?? []);
}

// The session's CSRF token, sent with every write (the session cookie itself travels by the browser).
let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

/** Fired when the API answers 401 to a signed-in page (the session ended): the app shows the sign-in page. */
export const SIGNED_OUT_EVENT = 'stayflow:signed-out';

/** One JSON call to the Stayflow API on this origin. Errors come back as ApiError with the server's words. */
export async function apiFetch<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        // A file (a CSV import) goes as itself, with its own type; anything else as JSON.
        ...(body === undefined
          ? {}
          : { 'content-type': body instanceof Blob ? body.type || 'application/octet-stream' : 'application/json' }),
        ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network', 'Stayflow cannot be reached. Is the server running?');
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page: the status line is all a person can use.
  }
  if (res.status === 401 && path !== '/api/session') window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  if (!res.ok) throw errorFrom(res.status, parsed, `${res.status} ${res.statusText}`);
  return parsed as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiFetch<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => apiFetch<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => apiFetch<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => apiFetch<T>('PATCH', path, body),
  delete: <T>(path: string) => apiFetch<T>('DELETE', path),
};

/**
 * Every item of a paged list (the API's `?cursor=` / `nextCursor` convention), for the pages that show a whole
 * list at once — the playbooks, a playbook's versions, the templates the editor checks steps against. Each page
 * is asked at the route's largest size, so a list of up to 500 stays one request.
 */
export async function getAllPages<T>(path: string, signal?: AbortSignal): Promise<{ items: T[] }> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await apiFetch<{ items: T[]; nextCursor?: string | null }>(
      'GET',
      `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      signal,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { items };
}
