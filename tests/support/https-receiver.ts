import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { testCa } from './test-ca.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the receiver answers a request with; a thrown-away socket (no answer) when `hangUp`. */
export type Answer = { status: number; headers?: Record<string, string> } | { hangUp: true };

/**
 * A real HTTPS server on 127.0.0.1 with a certificate of the tests' own CA (test-ca.ts), standing in for a CRM or
 * Slack: it records every request and answers what the test says. Webhook steps only take https:// addresses; the
 * stack calls it because OUTBOUND_ALLOW names 127.0.0.1 and OUTBOUND_CA_FILE trusts the CA (`receiverPolicy`).
 */
export async function startHttpsReceiver(answer: (request: ReceivedRequest, seen: number) => Answer) {
  const { key, cert } = testCa();
  const tls = { key, cert };
  const received: ReceivedRequest[] = [];
  const server = https.createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const seen = received.filter((r) => r.path === request.path).length;
      const reply = answer(request, seen);
      if ('hangUp' in reply) {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, reply.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (pathname: string) => `https://127.0.0.1:${port}${pathname}`,
    received,
    to: (pathname: string) => received.filter((r) => r.path === pathname),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The outbound policy that lets a deliverer call the receiver: 127.0.0.1 allowed, the tests' CA trusted. */
export const receiverPolicy = () => ({ allow: ['127.0.0.1'], extraCa: testCa().caPem });
