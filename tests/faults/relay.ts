import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// An SMTP relay that outlives the Stayflow processes the fault tests kill: it stores each message before it
// answers 250, as a real provider does, so "received" means what a recipient would see. It can be told to answer
// 451 (try again later) or 550 (refused) for a while, as a relay under maintenance or a dead mailbox does.

export interface RelayedMail {
  to: string[];
  subject: string;
  messageId: string;
  /** When the relay accepted it (epoch ms). */
  at: number;
}

export type RelayMode = 'accept' | 'tempfail';

export interface Relay {
  port: number;
  /** Its message lookup, as a provider offers one: GET <lookupUrl>?messageId=<id> → 200 held, 404 not. */
  lookupUrl: string;
  mail: RelayedMail[];
  /** 451 for every message while 'tempfail'; counts the refusals. */
  setMode(mode: RelayMode): void;
  refused: number;
  /** Recipients answered 550 (mailbox does not exist) whatever the mode. */
  rejectRecipients: Set<string>;
  /**
   * Recipients whose message the relay reads and then never answers: the sender waits mid-transaction, so killing
   * it there leaves a message the relay does not hold. Counted as they stall.
   */
  stallRecipients: Set<string>;
  stalled: number;
  close(): Promise<void>;
}

export async function startRelay(): Promise<Relay> {
  let mode: RelayMode = 'accept';
  const relay: Relay = {
    port: 0,
    lookupUrl: '',
    mail: [],
    refused: 0,
    rejectRecipients: new Set(),
    stallRecipients: new Set(),
    stalled: 0,
    setMode: (next) => {
      mode = next;
    },
    close: async () => {
      // A stalled transaction's connection would keep the server from closing: cut them all.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => lookup.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (relay.rejectRecipients.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error('5.1.1 mailbox does not exist'), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (session.envelope.rcptTo.some((r) => relay.stallRecipients.has(r.address.toLowerCase()))) {
          // No answer, ever: the sender's connection stays open until it gives up or dies; nothing is stored.
          relay.stalled += 1;
          return;
        }
        if (mode === 'tempfail') {
          relay.refused += 1;
          const error = Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 });
          return callback(error);
        }
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            relay.mail.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '',
              messageId: parsed.messageId ?? '',
              at: Date.now(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.server.address() as { port: number }).port;
  const bare = (id: string) => id.trim().replace(/^<|>$/g, '');
  const lookup = createServer((req, res) => {
    const asked = new URL(req.url ?? '/', 'http://relay').searchParams.get('messageId') ?? '';
    res.statusCode = relay.mail.some((m) => bare(m.messageId) === bare(asked)) ? 200 : 404;
    res.end();
  });
  await new Promise<void>((resolve) => lookup.listen(0, '127.0.0.1', resolve));
  relay.lookupUrl = `http://127.0.0.1:${(lookup.address() as { port: number }).port}/messages`;
  return relay;
}
