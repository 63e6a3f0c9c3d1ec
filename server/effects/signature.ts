import { Webhook } from 'standardwebhooks';

// Outbound webhooks are signed as the Standard Webhooks spec (standardwebhooks.com) says, with its reference
// library, so a receiver verifies them with any Standard Webhooks library (or Svix's) and no Stayflow-specific code:
//   webhook-id         the message's id: the same on every retry of one step (like Idempotency-Key)
//   webhook-timestamp  unix seconds when this attempt was signed, so a receiver can refuse a replay
//   webhook-signature  `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`
// The key: a WEBHOOK_SECRET written the standard way, `whsec_<base64>`, is its decoded bytes (paste it into the
// receiver's library as it is); any other WEBHOOK_SECRET is used as its UTF-8 bytes.

export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

const webhookOf = (secret: string) =>
  secret.startsWith('whsec_')
    ? new Webhook(secret)
    : new Webhook(new Uint8Array(Buffer.from(secret, 'utf8')), { format: 'raw' });

/** The three headers that sign this body, sent as message `id` at `at`. */
export function signWebhook(secret: string, id: string, body: string, at: Date): WebhookSignatureHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': webhookOf(secret).sign(id, at, body),
  };
}

/**
 * A receiver's check (the library's, in constant time): true when the headers sign this body under this secret
 * and the timestamp is within 5 minutes of now.
 */
export function verifyWebhook(
  secret: string,
  body: string,
  headers: Record<string, string | string[] | undefined>,
): boolean {
  const flat = Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );
  try {
    webhookOf(secret).verify(body, flat, { jsonParse: false });
    return true;
  } catch {
    return false;
  }
}
