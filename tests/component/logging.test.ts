import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { afterEach, describe, expect, it } from 'vitest';
import { redactedSerializers } from '../../server/api/log-redaction.js';
import { createLogger } from '../../server/logger.js';

// The process logger in both of its shapes, with the request logging the API uses in front of a real HTTP server:
// lines for a person on a terminal, JSON elsewhere, and never a credential or an email link's token in either.

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

/** One request through pino-http as server/api/app.ts sets it up, logged by `logger`. */
async function requestThrough(logger: ReturnType<typeof createLogger>) {
  const logRequest = pinoHttp({ logger, serializers: redactedSerializers });
  const server = http.createServer((req, res) => {
    logRequest(req, res);
    res.setHeader('set-cookie', 'stayflow_session=cookie-secret-3; HttpOnly');
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/u/eyJhbGciOiJIUzI1NiJ9.link-token-secret.sig`, {
    headers: { authorization: 'Bearer sf_token-secret-1', cookie: 'stayflow_session=cookie-secret-2' },
  });
  expect(await res.text()).toBe('ok');
  await new Promise((resolve) => setTimeout(resolve, 50)); // the response line is written on 'finish'
}

const SECRETS = ['token-secret-1', 'cookie-secret-2', 'cookie-secret-3', 'link-token-secret'];

describe('the process logger', () => {
  it('writes lines for a person when asked (a terminal or LOG_PRETTY): message, fields, one line a request, no secrets', async () => {
    const { lines, stream } = sink();
    const logger = createLogger({ level: 'info', role: 'api', pretty: true }, stream);
    logger.info({ accounts: 3 }, 'imported accounts');
    await requestThrough(logger);
    const text = lines.join('\n');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[api\] imported accounts$/);
    expect(text).toMatch(/accounts: 3/);
    expect(() => JSON.parse(lines[0]!)).toThrow(); // not JSON
    // A request is one line; its headers are left to the JSON logs.
    expect(lines).toContainEqual(
      expect.stringMatching(/INFO: \[api\] request completed: GET \/u\/\[redacted\] 200 \(\d+ ms\)$/),
    );
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('writes one JSON object per line otherwise, with the same redaction', async () => {
    const { lines, stream } = sink();
    const logger = createLogger({ level: 'info', role: 'worker', pretty: false }, stream);
    logger.info({ accounts: 3 }, 'imported accounts');
    await requestThrough(logger);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({ level: 30, role: 'worker', accounts: 3, msg: 'imported accounts' });
    const request = entries.find((e) => e.msg === 'request completed');
    expect(request).toMatchObject({
      req: { url: '/u/[redacted]', headers: { authorization: '[redacted]', cookie: '[redacted]' } },
      res: { statusCode: 200, headers: { 'set-cookie': '[redacted]' } },
    });
    for (const secret of SECRETS) expect(lines.join('\n')).not.toContain(secret);
  });
});
