import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaughtMailTable } from '../db/schema.js';
import { keysetPage } from '../db/page-cursor.js';

export interface CaughtMail {
  id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  receivedAt: Date;
}

export interface SmtpCatcher {
  port: number;
  url: string;
  /** Emits 'mail' with each CaughtMail once it is stored. */
  events: EventEmitter;
  close(): Promise<void>;
}

/**
 * A real SMTP server, in-process, that accepts every message and stores it in the app database. Dev and tests
 * send through it exactly as they would through a relay, so what is asserted is what an SMTP peer received.
 */
export async function startSmtpCatcher(opts: { db: Db; port: number; host?: string }): Promise<SmtpCatcher> {
  const events = new EventEmitter();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'Stayflow mail catcher',
    size: 25 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        store(opts.db, raw, session.envelope)
          .then((mail) => {
            events.emit('mail', mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Connection resets from clients are routine; they must not take the process down.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${host}:${port}`,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Envelope = { mailFrom: false | { address: string }; rcptTo: { address: string }[] };

async function store(db: Db, raw: string, envelope: Envelope): Promise<CaughtMail> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
  const row = await db
    .insertInto('caught_mail')
    .values({
      message_id: parsed.messageId ?? null,
      envelope_from: envelope.mailFrom ? envelope.mailFrom.address : '',
      envelope_to: envelope.rcptTo.map((r) => r.address),
      subject: parsed.subject ?? '',
      text: parsed.text ?? null,
      html: typeof parsed.html === 'string' ? parsed.html : null,
      headers: JSON.stringify(headers),
      raw,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCaughtMail(row);
}

export function toCaughtMail(row: Selectable<CaughtMailTable>): CaughtMail {
  return {
    id: row.id,
    messageId: row.message_id,
    from: row.envelope_from,
    to: row.envelope_to,
    subject: row.subject,
    text: row.text,
    html: row.html,
    headers: row.headers,
    receivedAt: row.received_at,
  };
}

/** The caught mail, newest first, a page at a time; only what was sent to `to` when given. */
export async function pageCaughtMail(db: Db, filter: { to?: string }, page: { limit: number; cursor?: string }) {
  let query = db.selectFrom('caught_mail').selectAll();
  if (filter.to) query = query.where((eb) => eb(eb.val(filter.to), '=', eb.fn.any('envelope_to')));
  return keysetPage(query, page, {
    order: 'desc',
    keys: [
      ['received_at', 'time'],
      ['id', 'uuid'],
    ],
    item: toCaughtMail,
  });
}
