import https from 'node:https';
import { STATUS_CODES } from 'node:http';
import {
  DEFAULT_OUTBOUND,
  guardedLookup,
  OutboundRefused,
  outboundTls,
  refusalOf,
  type OutboundPolicy,
} from './outbound-guard.js';

export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Where a redirect points, resolved against the request's URL. */
  location?: string;
}

/**
 * Sends one JSON request over https and answers the status, never following a redirect (the caller decides, and
 * calls again for the next hop, which is checked again). node:https rather than fetch: a redirect is never followed
 * by accident, and the DNS lookup is ours (outbound-guard.ts: the address checked is the address connected to).
 * Certificates are always verified; OUTBOUND_CA_FILE adds CAs, nothing turns checks off. A target the policy
 * refuses rejects with OutboundRefused before any connection is tried. Without a policy: no exceptions allowed.
 */
export function sendJson(
  url: string,
  method: 'POST' | 'PUT',
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  policy: OutboundPolicy = DEFAULT_OUTBOUND,
): Promise<HttpAnswer> {
  const refusal = refusalOf(url, policy);
  if (refusal) return Promise.reject(new OutboundRefused(refusal));
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = https.request(
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
        // A connection of its own: a pooled socket would skip the lookup this request's target must pass.
        agent: false,
        lookup: guardedLookup(policy),
        ...outboundTls(policy),
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
