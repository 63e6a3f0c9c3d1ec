import http from 'node:http';
import https from 'node:https';
import { STATUS_CODES } from 'node:http';

export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Where a redirect points, resolved against the request's URL. */
  location?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Sends one JSON request and answers the status, never following a redirect (the caller decides). node:https
 * rather than fetch: a redirect is never followed by accident, and a receiver on this machine may use a
 * self-signed certificate — loopback is excused from certificate checks, as the SMTP transport excuses a local relay;
 * every other host must present a valid one.
 */
export function sendJson(
  url: string,
  method: 'POST' | 'PUT',
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const target = new URL(url);
  const client = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Stayflow',
          ...headers,
        },
        timeout: timeoutMs,
        ...(target.protocol === 'https:' && { rejectUnauthorized: !LOOPBACK.has(target.hostname) }),
      },
      (response) => {
        // The answer's body is not needed; reading it frees the socket.
        response.resume();
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        resolve({
          status,
          statusText: response.statusMessage || STATUS_CODES[status] || '',
          ...(location && { location: new URL(location, target).toString() }),
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Answers worth another try later: the receiver timed out, is rate limiting, or failed on its side. */
export const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;
