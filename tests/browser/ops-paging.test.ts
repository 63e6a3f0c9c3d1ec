import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, openPage, pageErrors } from './browser.js';
import { ok } from './ops-helpers.js';

// Lists longer than a page: 101 runs of one playbook (each with a task for its CSM), one more than the runs and
// tasks pages ask for at once. The first page shows 100 and says there are more; "Load more" (by keyboard) appends
// the rest through the API's cursor, and then there is no button.

const RUNS = 101;
let browser: Browser;
let page: Page;
const suffix = randomUUID().slice(0, 8);
const key = `paging-${suffix}`;

/** Runs `work` over `items`, a few at a time (the lane's machine is small). */
async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Waits for `check` to hold (expect.poll lives only inside tests), failing with `what` after two minutes. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  await ok('POST', '/api/playbooks', {
    definition: {
      schemaVersion: 1,
      key,
      name: `Paging ${suffix}`,
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        {
          id: 'call',
          type: 'task',
          label: 'Call',
          config: {
            assignee: 'ownerCsm',
            kind: 'call',
            title: `Paging call ${suffix}`,
            dueIn: { amount: 3, unit: 'days' },
          },
        },
        { id: 'pause', type: 'wait', label: 'Wait a week', config: { kind: 'duration', amount: 7, unit: 'days' } },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'call' },
        { id: 'e2', source: 'call', target: 'pause' },
        { id: 'e3', source: 'pause', target: 'done' },
      ],
    },
  });
  await ok('POST', `/api/playbooks/${key}/publish`);
  const numbers = Array.from({ length: RUNS }, (_, i) => i);
  await inBatches(numbers, 10, async (i) => {
    const account = await ok('POST', '/api/accounts', {
      externalId: `${key}-${i}`,
      name: `Paginado ${i} ${suffix}`,
      ownerCsmEmail: `pager-${suffix}@cs.example`,
    });
    await ok('POST', `/api/playbooks/${key}/enrollments`, { accountId: account.id });
  });
  // Temporal's visibility and the task activities catch up a moment after the starts.
  await until(
    'every run listed',
    async () => (await ok('GET', `/api/runs?playbook=${key}&limit=1000`)).items.length === RUNS,
  );
  await until(
    'every task made',
    async () =>
      (await ok('GET', '/api/tasks?status=open&limit=500')).items.filter((t: { title: string }) =>
        t.title.endsWith(suffix),
      ).length === RUNS,
  );
  page = await openPage(browser, `/runs?playbook=${key}`);
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

describe('lists longer than a page', () => {
  it('runs: the newest 100, then "Load more runs" appends the rest', async () => {
    const rows = page.getByTestId('run-list').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(100);
    const more = page.getByRole('button', { name: 'Load more runs' });
    expect(await page.getByText('100 runs shown; there are more').isVisible()).toBe(true);
    await expectAccessible(page, 'runs with more to load');
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(RUNS);
    await expect.poll(() => more.count()).toBe(0);
    expect(await page.getByText(`${RUNS} runs shown`, { exact: true }).isVisible()).toBe(true);
    // Every account once: the second page continues the first, it does not repeat it.
    const names = await rows.locator('td:nth-child(2) a').allTextContents();
    expect(new Set(names).size).toBe(RUNS);
    expect(await pageErrors(page)).toEqual([]);
  });

  it('tasks: everyone’s open ones a page at a time, until every one of them is listed', async () => {
    await page.goto('/tasks?view=all&status=open');
    const list = page.getByTestId('task-list');
    await list.waitFor();
    const mine = list.locator('article', { hasText: `Paging call ${suffix}` });
    const more = page.getByRole('button', { name: 'Load more tasks' });
    await expect.poll(() => list.locator('article').count()).toBe(100);
    // Load pages until there are no more (other tests' tasks share the list).
    while ((await more.count()) > 0) {
      const before = await list.locator('article').count();
      await more.click();
      await expect.poll(() => list.locator('article').count(), { timeout: 30_000 }).toBeGreaterThan(before);
    }
    expect(await mine.count()).toBe(RUNS);
    expect(await pageErrors(page)).toEqual([]);
  });
});
