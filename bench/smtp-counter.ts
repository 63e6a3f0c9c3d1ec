import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A plain SMTP server on loopback that only counts what it receives, by Message-ID: the bench's judge of "no email
 * twice, none lost". It reads each message's header and drops the rest, so it costs both arms of the bench alike
 * (the product's own catcher stores each message in the app database, which would charge the outbox arm twice).
 */
export interface SmtpCounter {
  url: string;
  /** Message-ID → times received. */
  received: Map<string, number>;
  close(): Promise<void>;
}

export async function startSmtpCounter(): Promise<SmtpCounter> {
  const received = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      let done = false;
      stream.on('data', (chunk: Buffer) => {
        if (done) return;
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) done = true;
      });
      stream.on('end', () => {
        const id = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '(none)';
        received.set(id, (received.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
