import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRelayLookup } from '../../server/email/relay-lookup.js';

// A relay's own message lookup (SMTP_MESSAGE_LOOKUP_URL), asked about an email whose send was cut off mid-way:
// only a plain 200 or 404 is an answer; anything else leaves the email for an operator, never a guess.

describe("the relay's message lookup over HTTP", () => {
  let server: Server;
  let url: string;
  const asked: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const id = new URL(req.url ?? '/', 'http://x').searchParams.get('messageId') ?? '';
      asked.push(id);
      if (id === '<slow@stayflow>') return void setTimeout(() => res.end(), 8_000);
      res.statusCode = id === '<held@stayflow>' ? 200 : id === '<broken@stayflow>' ? 500 : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/messages`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers held, not held, or cannot say', async () => {
    const holds = httpRelayLookup(url);
    expect(await holds('<held@stayflow>')).toBe(true);
    expect(await holds('<missing@stayflow>')).toBe(false);
    expect(await holds('<broken@stayflow>')).toBeUndefined();
    expect(asked).toEqual(['<held@stayflow>', '<missing@stayflow>', '<broken@stayflow>']);
  });

  it('counts a relay that does not answer in time, or at all, as cannot say', async () => {
    expect(await httpRelayLookup(url)('<slow@stayflow>')).toBeUndefined();
    expect(await httpRelayLookup('http://127.0.0.1:9/messages')('<held@stayflow>')).toBeUndefined();
  }, 15_000);
});
