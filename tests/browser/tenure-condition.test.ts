import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, openPage, pageErrors } from './browser.js';

// The condition form offers tenure and countdowns on date fields: "days since" / "days until" the date, compared
// with a number of days, and only with the comparisons a number of days takes — in a branch only: an exit's
// condition or an event's filter is checked when something happens, not as days pass (the compiler refuses it).

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const at = (x: number, y: number) => ({ x, y });
const key = 'tenure-form';
const definition = {
  schemaVersion: 1,
  key,
  name: 'Tenure form',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', position: at(0, 0), config: {} },
    {
      id: 'tier',
      type: 'branch',
      label: 'A year in?',
      position: at(0, 170),
      config: {
        conditions: [
          {
            handle: 'loyal',
            when: { field: 'account.startDate', measure: 'daysSince', op: 'gte', value: 365 },
          },
        ],
      },
    },
    { id: 'loyal', type: 'end', label: 'Loyal', position: at(-200, 360), config: {} },
    { id: 'newer', type: 'end', label: 'Newer', position: at(200, 360), config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'tier' },
    { id: 'e2', source: 'tier', sourceHandle: 'loyal', target: 'loyal' },
    { id: 'e3', source: 'tier', sourceHandle: 'else', target: 'newer' },
  ],
};

const panel = (page: Page) => page.getByTestId('config-panel');
const options = (page: Page, label: string) =>
  panel(page)
    .getByLabel(label, { exact: true })
    .locator('option')
    .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));

describe('a branch condition on a date field', () => {
  it('shows days since the start date, and switches to days until it, with only the comparisons that fit', async () => {
    expect((await api('POST', '/api/playbooks', { definition })).status).toBe(201);
    const page = await openPage(browser, '/playbooks');
    await page.goto(`/playbooks/${key}`);
    await page.locator('.editor[data-opened]').waitFor();
    await page.getByTestId('rf__node-tier').click();

    const compare = panel(page).getByLabel('Compare', { exact: true });
    await expect.poll(() => compare.inputValue()).toBe('daysSince');
    expect(await panel(page).getByLabel('Days', { exact: true }).inputValue()).toBe('365');
    expect(await options(page, 'Test')).toEqual(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']);
    await expect.poll(() => page.getByRole('tab', { name: /Problems/ }).textContent()).toBe('Problems (0)');

    await compare.selectOption('daysUntil');
    await panel(page).getByLabel('Days', { exact: true }).fill('30');
    await panel(page).getByLabel('Test', { exact: true }).selectOption('lte');
    // The draft the editor saves holds the measured condition.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.locator('.toolbar .status').textContent()).toMatch(/· saved$/);
    await expect
      .poll(async () => {
        const saved = (await api('GET', `/api/playbooks/${key}`)).body as {
          playbook: { draft: { nodes: { id: string; config: { conditions?: { when: unknown }[] } }[] } };
        };
        return saved.playbook.draft.nodes.find((n) => n.id === 'tier')?.config.conditions?.[0]?.when;
      })
      .toEqual({ field: 'account.startDate', measure: 'daysUntil', op: 'lte', value: 30 });

    // Back to comparing the date itself: every comparison again, and a date to pick.
    await compare.selectOption('');
    expect(await options(page, 'Test')).toContain('in');
    expect(await panel(page).getByLabel('Date', { exact: true }).count()).toBe(1);
    expect(await pageErrors(page)).toEqual([]);
  });
});

describe('an exit condition and an event filter on a date field', () => {
  it('offer only the date itself, where the branch beside them offers days since and until', async () => {
    const exitsKey = 'tenure-form-exits';
    const withExits = {
      ...definition,
      key: exitsKey,
      name: 'Tenure form, exits',
      exit: [
        { kind: 'condition', label: 'Started', when: { field: 'account.startDate', op: 'exists' } },
        {
          kind: 'event',
          label: 'Cancelled',
          event: 'subscription.cancelled',
          filter: { field: 'account.renewalDate', op: 'exists' },
        },
      ],
    };
    expect((await api('POST', '/api/playbooks', { definition: withExits })).status).toBe(201);
    const page = await openPage(browser, '/playbooks');
    await page.goto(`/playbooks/${exitsKey}`);
    await page.locator('.editor[data-opened]').waitFor();
    await expect.poll(() => page.getByRole('tab', { name: /Problems/ }).textContent()).toBe('Problems (0)');

    // Nothing selected: the playbook's settings, with both exits on date fields and no "Compare" beside them.
    const settings = page.getByTestId('settings-panel');
    const fields = settings.getByLabel('Field', { exact: true });
    await expect.poll(() => fields.count()).toBe(2);
    expect(await fields.evaluateAll((all) => all.map((f) => (f as HTMLInputElement).value))).toEqual([
      'account.startDate',
      'account.renewalDate',
    ]);
    expect(await settings.getByLabel('Compare', { exact: true }).count()).toBe(0);
    expect(await settings.getByLabel('Test', { exact: true }).count()).toBe(2);

    // The branch's condition on the same field does offer it.
    await page.getByTestId('rf__node-tier').click();
    await expect.poll(() => panel(page).getByLabel('Compare', { exact: true }).count()).toBe(1);
    expect(await pageErrors(page)).toEqual([]);
  });
});
