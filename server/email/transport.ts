import nodemailer, { type Transporter } from 'nodemailer';

export type MailTransport = Transporter;

/** How long one recipient's SMTP transaction may stay silent before it is given up on. */
export const SEND_SOCKET_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;

/**
 * How long after a `sending` claim no attempt can still be in the middle of that SMTP transaction: connecting,
 * the greeting, and the envelope and the data each within a silent socket's timeout, with a margin. Past it, a
 * relay that says it does not hold the email is an answer: it never arrived.
 */
export const SENDING_SETTLES_AFTER_MS =
  CONNECTION_TIMEOUT_MS + GREETING_TIMEOUT_MS + 2 * SEND_SOCKET_TIMEOUT_MS + 10_000;

/** A pooled SMTP transport: connections are reused across sends, as a relay expects from a bulk sender. */
export function createMailTransport(smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    pool: true,
    maxConnections: 5,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // Local catchers offer STARTTLS with a self-signed certificate; only loopback relays are excused from checks.
    tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(url.hostname) },
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    // A relay silent this long mid-send is given up on (nodemailer waits 10 minutes by default). The send may have
    // arrived, so the sender leaves the row `sending` for the next attempt to settle (see mayHaveArrived).
    socketTimeout: SEND_SOCKET_TIMEOUT_MS,
  });
}
