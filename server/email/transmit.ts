import type { MailTransport } from './transport.js';
import type { OutboxRow } from './outbox.js';

/**
 * Hands one outbox row to the SMTP server exactly as rendered and recorded: our own Message-ID (the same on a
 * resend, so the receiving side can tell a copy), the stored headers, HTML and text. Answers the server's reply.
 */
export async function transmit(transport: MailTransport, from: string, row: OutboxRow): Promise<string> {
  const info = await transport.sendMail({
    from,
    to: row.recipient_name ? { name: row.recipient_name, address: row.recipient } : row.recipient,
    subject: row.subject ?? '',
    html: row.html ?? undefined,
    text: row.text ?? undefined,
    messageId: row.message_id,
    headers: row.headers,
  });
  return String(info.response ?? info.messageId);
}

/** "Stayflow <success@stayflow.local>" → "stayflow.local": our Message-IDs name the sender's domain. */
export function senderDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'stayflow.local';
}
