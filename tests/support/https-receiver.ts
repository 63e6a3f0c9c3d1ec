import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the receiver answers a request with; a thrown-away socket (no answer) when `hangUp`. */
export type Answer = { status: number; headers?: Record<string, string> } | { hangUp: true };

/**
 * A real HTTPS server on 127.0.0.1 with a self-signed certificate (made with openssl), standing in for a CRM or
 * Slack: it records every request and answers what the test says. Webhook steps only take https:// addresses.
 */
export async function startHttpsReceiver(answer: (request: ReceivedRequest, seen: number) => Answer) {
  const dir = mkdtempSync(path.join(tmpdir(), 'stayflow-receiver-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ]),
    { stdio: 'ignore' },
  );
  const tls = { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  rmSync(dir, { recursive: true, force: true });
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
