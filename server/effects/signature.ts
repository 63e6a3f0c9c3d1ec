import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `Stayflow-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under WEBHOOK_SECRET.
 * The timestamp is signed with the body so a receiver can refuse a replayed request (Stripe's scheme, which
 * receivers often already know how to check).
 */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** A receiver's check, in constant time: true when the header signs this body under this secret. */
export function verifyWebhookSignature(secret: string, body: string, header: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  const expected = Buffer.from(webhookSignature(secret, body, t));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
