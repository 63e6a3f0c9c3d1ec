import { describe, expect, it } from 'vitest';
import '../support/provided.js';
import { miniOnboarding } from '../support/sample-playbooks.js';
import { until } from '../support/until.js';
import { api } from '../support/api.js';

// The runs list pages with Temporal's own visibility page token (wrapped in `nextCursor`): every run of a search is
// listed once across pages, and a cursor of another search, or one nobody gave out, is a 400.

const KEY = 'runs-paging';
const RUNS = 7;

describe('paging through runs', () => {
  it('lists every run exactly once, page after page, and refuses a cursor it did not give out', async () => {
    expect(
      (await api('POST', '/api/playbooks', { definition: { ...structuredClone(miniOnboarding), key: KEY } })).status,
    ).toBe(201);
    expect((await api('POST', `/api/playbooks/${KEY}/publish`)).status).toBe(201);
    const started: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const enrolled = await api('POST', `/api/playbooks/${KEY}/enrollments`, {
        account: { id: `paging-${i}`, timeZone: 'Europe/Madrid', fields: { segment: 'high-touch' } },
      });
      expect(enrolled.status).toBe(201);
      started.push(enrolled.body.workflowId as string);
    }
    await until(`${RUNS} runs visible`, async () => {
      const { body } = await api('GET', `/api/runs?playbook=${KEY}&limit=100`);
      return body.items.length === RUNS ? true : undefined;
    });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let firstCursor: string | undefined;
    do {
      const { status, body } = await api(
        'GET',
        `/api/runs?playbook=${KEY}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((run: { workflowId: string }) => run.workflowId));
      cursor = body.nextCursor;
      firstCursor ??= cursor ?? undefined;
      pages++;
      expect(pages).toBeLessThan(10);
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toHaveLength(RUNS);
    expect(new Set(seen)).toEqual(new Set(started));

    // The same cursor with other filters, and a forged one, are refused with a 400 that says what to do.
    const other = await api('GET', `/api/runs?playbook=another-one&limit=3&cursor=${encodeURIComponent(firstCursor!)}`);
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('invalid_cursor');
    const forged = Buffer.from(JSON.stringify(['x', 0, 'abc'])).toString('base64url');
    expect((await api('GET', `/api/runs?playbook=${KEY}&cursor=${forged}`)).status).toBe(400);
    expect((await api('GET', `/api/runs?playbook=${KEY}&cursor=%%%`)).status).toBe(400);
    // A cursor's page token swapped for another: Temporal would not notice (it answers garbage with "something went
    // wrong"), so the cursor's signature refuses it first — a 400, not a 500.
    const [digest] = JSON.parse(Buffer.from(firstCursor!, 'base64url').toString('utf8')) as [string];
    const garbage = Buffer.from(JSON.stringify([digest, 0, 'bm90LWEtdG9rZW4'])).toString('base64url');
    const refused = await api('GET', `/api/runs?playbook=${KEY}&cursor=${garbage}`);
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
  });
});
