import nodemailer, { type Transporter } from 'nodemailer';

export type MailTransport = Transporter;

/** How long one recipient's SMTP transaction may stay silent before it is given up on. */
export const SEND_SOCKET_TIMEOUT_MS = 30_000;

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
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    // A relay silent this long mid-send is given up on (nodemailer waits 10 minutes by default). The send may have
    // arrived, so the sender leaves the row `sending` for the next attempt to settle (see mayHaveArrived).
    socketTimeout: SEND_SOCKET_TIMEOUT_MS,
  });
}
