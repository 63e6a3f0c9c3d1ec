import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Client } from '@temporalio/client';
import { createApp, type AppOptions } from '../../server/api/app.js';
import { writeOperatorToken } from '../../server/auth/operator-token.js';
import { loadConfig } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import type { MailTransport } from '../../server/email/transport.js';

/**
 * The API app on PGlite in memory, without Temporal or SMTP: what the access tests need (sign-in, sessions, the
 * gate). Its clock is the test's (`clock.now`), and every log line is kept in `logs` (as written, JSON).
 */
export async function startAccessApp(
  env: Record<string, string> = {},
  opts: { database?: AppDatabase; operatorTokenDir?: string; app?: AppOptions } = {},
) {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'info', ...env });
  const database = opts.database ?? (await openDatabase({ dataDir: 'memory://' }));
  const clock = { now: new Date('2026-03-02T09:00:00Z') };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  // Routes that reach Temporal or SMTP are not what these tests call; if one does, it says so.
  const absent = (what: string) =>
    new Proxy(
      {},
      {
        get: () => {
          throw new Error(`${what} is not part of the access test app`);
        },
      },
    );
  const context: AppContext = {
    config,
    version: 'test',
    database,
    temporal: absent('Temporal') as Client,
    temporalUiUrl: undefined,
    mail: { transport: absent('SMTP') as MailTransport, url: 'smtp://absent', catching: false },
    now: () => clock.now,
    ...(opts.operatorTokenDir && { operator: await writeOperatorToken(opts.operatorTokenDir) }),
  };
  const server = http.createServer(createApp(context, pino({ level: 'info' }, sink), opts.app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    context,
    db: database.db,
    clock,
    logs,
    /** Moves the clock on by `ms`. */
    advance: (ms: number) => void (clock.now = new Date(clock.now.getTime() + ms)),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (!opts.database) await database.close();
    },
  };
}
export type AccessApp = Awaited<ReturnType<typeof startAccessApp>>;

/** A browser-like client: keeps the session cookie, sends the CSRF token on unsafe requests, as the web app does. */
export class BrowserSession {
  cookie: string | undefined;
  csrfToken: string | undefined;
  constructor(readonly app: AccessApp) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const unsafe = !['GET', 'HEAD'].includes(method);
    const res = await fetch(`${this.app.url}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(this.cookie && { cookie: this.cookie }),
        ...(unsafe && this.csrfToken && { 'x-csrf-token': this.csrfToken }),
        ...(unsafe && { origin: this.app.url, 'sec-fetch-site': 'same-origin' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = pair!.endsWith('=') ? undefined : pair;
    }
    const text = await res.text();
    const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: res.status, body: json, headers: res.headers, setCookie };
  }

  async signIn(email: string, password: string) {
    const answer = await this.request('POST', '/api/session', { email, password });
    if (answer.status === 200) this.csrfToken = answer.body.csrfToken;
    return answer;
  }
}
