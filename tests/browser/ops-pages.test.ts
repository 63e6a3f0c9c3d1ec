import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';
import { ok } from './ops-helpers.js';

// Every operations page once, as an admin: what it shows, axe-core, a screenshot; the dashboard's numbers lead to
// their lists; a task done by keyboard alone; the empty and error states say what they are.

let browser: Browser;
let page: Page;
const suffix = randomUUID().slice(0, 8);
const taskKey = `ops-pages-task-${suffix}`;
let accountId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const account = await ok('POST', '/api/accounts', {
    externalId: `ops-pages-${suffix}`,
    name: `Páginas ${suffix}`,
    ownerCsmEmail: `pat-${suffix}@cs.example`,
    renewalDate: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10),
  });
  accountId = account.id;
  await ok('POST', '/api/playbooks', {
    definition: {
      schemaVersion: 1,
      key: taskKey,
      name: `Kickoff call ${suffix}`,
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        {
          id: 'call',
          type: 'task',
          label: 'Kickoff call',
          config: {
            assignee: 'ownerCsm',
            kind: 'call',
            title: `Call Páginas ${suffix}`,
            dueIn: { amount: 1, unit: 'days' },
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
  await ok('POST', `/api/playbooks/${taskKey}/publish`);
  await ok('POST', `/api/playbooks/${taskKey}/enrollments`, { accountId });
  page = await openPage(browser, '/dashboard');
});
afterAll(async () => {
  await browser?.close();
});

describe('the operations pages', () => {
  it('dashboard: every figure links to the list it counts', async () => {
    const health = page.getByTestId('dash-health');
    await health.waitFor();
    await expectAccessible(page, 'dashboard');
    await screenshot(page, 'ops-dashboard');
    const renewals = page.getByTestId('dash-renewals-count');
    const counted = Number((await renewals.textContent())!.replace(/\D/g, ''));
    expect(counted).toBeGreaterThan(0);
    await renewals.click();
    await page.getByTestId('account-list').waitFor();
    expect(page.url()).toMatch(/\/accounts\?.*renewalFrom=.*renewalTo=/);
    // The dashboard's count is this list's length (one page holds them all on the lane's stack).
    expect(await page.getByTestId('account-list').locator('tbody tr').count()).toBe(counted);
  });

  it('runs: found by account name, with what each waits for; the filter form works from the keyboard', async () => {
    await page.goto('/runs');
    await page.getByTestId('run-list').waitFor();
    const name = page.getByLabel('Account name');
    await name.focus();
    await page.keyboard.type(`Páginas ${suffix}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('accountName=');
    // The account is in the kickoff playbook, and (renewal 40 days out, taken late when it was created) maybe
    // already in the shipped renewal cadence too: the kickoff playbook's row is the one this test follows.
    // Named as people name them: the playbook's name and the step's label, not their ids.
    const rows = page
      .getByTestId('run-list')
      .locator('tbody tr')
      .filter({ hasText: `Kickoff call ${suffix}` });
    await expect.poll(() => rows.count()).toBe(1);
    await expect
      .poll(() => rows.first().textContent(), { timeout: 20_000 })
      .toMatch(/waiting timer.*Wait a week.*waits for a timer.*\(in 7 days\)/);
    expect(await rows.first().textContent()).not.toContain(taskKey);
    // With no playbook chosen a step is typed by its id, and the form says how to pick one by name instead.
    expect(await page.getByText('Choose a playbook to pick steps by name.').isVisible()).toBe(true);
    // A playbook chosen, its steps are offered by label: where a run stands, any step; what it did, only the steps
    // that leave a record (a wait leaves none).
    // (A list's name holds its chosen option: "Playbook Any".)
    const filters = page.getByRole('form', { name: 'Filter runs' });
    await filters.getByRole('combobox', { name: /^Playbook/ }).selectOption({ label: `Kickoff call ${suffix}` });
    const standsAt = filters.getByRole('combobox', { name: /^Stands at step/ });
    await expect
      .poll(() => standsAt.locator('option').allTextContents())
      .toEqual(['Any', 'Kickoff call', 'Wait a week', 'Done']);
    expect(
      await filters
        .getByRole('combobox', { name: /^Did step/ })
        .locator('option')
        .allTextContents(),
    ).toEqual(['Any', 'Kickoff call']);
    await standsAt.selectOption({ label: 'Wait a week' });
    await expect.poll(() => page.url()).toContain('node=pause');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain('Wait a week');
    await expectAccessible(page, 'runs');
    await screenshot(page, 'ops-runs');
    // The run is not at the kickoff call any more: filtering by it lists nothing.
    await standsAt.selectOption({ label: 'Kickoff call' });
    await expect.poll(() => page.getByText('No run matches these filters').isVisible()).toBe(true);
    await standsAt.selectOption({ label: 'Any' });
    await name.fill(`nobody-${suffix}`);
    await name.press('Enter');
    await expect.poll(() => page.getByText('No run matches these filters').isVisible()).toBe(true);
  });

  it('tasks: done with an outcome note, by keyboard alone', async () => {
    await page.goto(`/tasks?view=all&accountId=${accountId}`);
    const list = page.getByTestId('task-list');
    await expect.poll(() => list.textContent(), { timeout: 20_000 }).toContain(`Call Páginas ${suffix}`);
    await expectAccessible(page, 'tasks');
    await screenshot(page, 'ops-tasks');
    await list.getByLabel(/Outcome note/).focus();
    await page.keyboard.type('They are happy; renewal likely');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('No open tasks').isVisible()).toBe(true);
    const done = await ok('GET', `/api/tasks?accountId=${accountId}&status=done`);
    expect(done.items[0]).toMatchObject({ status: 'done', note: 'They are happy; renewal likely' });
  });

  it('outbox and caught mail, settings and profiles pass axe-core', async () => {
    for (const [route, ready, name] of [
      ['/outbox', 'Playbook emails', 'ops-outbox-all'],
      ['/outbox/caught', 'Caught mail (SMTP)', 'ops-caught-mail'],
      ['/settings/csms', 'Add a profile', 'ops-csm-profiles'],
      ['/settings/users', 'Add a person', 'ops-users'],
    ] as const) {
      await page.goto(route);
      await page.getByText(ready, { exact: true }).first().waitFor();
      await page.locator('.state-loading').waitFor({ state: 'detached' });
      await expectAccessible(page, route);
      await screenshot(page, name);
    }
  });

  it('scorecard: a draft is checked by the engine’s schema and previewed over every account before saving', async () => {
    await page.goto('/settings/scorecard');
    const signals = page.getByTestId('scorecard-signals');
    await signals.waitFor();
    const save = page.getByRole('button', { name: /^Save as version/ });
    expect(await save.isDisabled()).toBe(true);
    // Levels that do not rise are refused by the schema, with its words.
    await page.getByLabel('low risk from').fill('90');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('must rise: low < medium < high');
    await page.getByLabel('low risk from').fill('20');
    await page.getByLabel('Threshold of “NPS below 7”').fill('9');
    await page.getByRole('button', { name: /^Preview/ }).click();
    const preview = page.getByTestId('scorecard-preview');
    await expect.poll(() => preview.textContent(), { timeout: 30_000 }).toMatch(/accounts? by risk level/);
    expect(await save.isDisabled()).toBe(false);
    await expectAccessible(page, 'scorecard');
    await screenshot(page, 'ops-scorecard');
  });

  it('says when something is not there, and when a list is empty', async () => {
    await page.goto(`/accounts/${randomUUID()}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Not found/);
    await expectAccessible(page, 'missing account');
    await page.goto(`/accounts?q=nothing-${suffix}`);
    await expect.poll(() => page.getByText('No account matches these filters').isVisible()).toBe(true);
    await page.goto(`/outbox?owner=nobody-${suffix}@cs.example`);
    await expect.poll(() => page.getByText('No email matches these filters').isVisible()).toBe(true);
    await expectAccessible(page, 'empty outbox');
    expect(await pageErrors(page)).toEqual([]);
  });
});
