import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';

// The shipped onboarding playbook as CS ops watch it: an enrolled account appears at the step it stands on,
// the step lists it with what it waits for, and skipping its wait moves it on.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('runs on the canvas', () => {
  it('shows an enrolled account at its step of the shipped onboarding, lists it there and skips its wait', async () => {
    const accountId = `browser-overlay-${Date.now()}`;
    const enrolled = await api('POST', '/api/playbooks/onboarding-30d/enrollments', {
      account: { id: accountId, timeZone: 'Europe/Madrid', fields: { segment: 'tech-touch' } },
    });
    expect(enrolled.status).toBe(201);

    const page = await openPage(browser, '/playbooks/onboarding-30d');
    await page.getByTestId('rf__node-purchase').waitFor();
    // The shipped playbook opens without problems, its start in view and its cards apart.
    await expect.poll(() => page.getByRole('tab', { name: /Problems/ }).textContent()).toBe('Problems (0)');
    expect(await page.getByTestId('rf__node-purchase').textContent()).toContain('when subscription.created happens');
    await screenshot(page, 'onboarding');
    await expectAccessible(page, 'shipped onboarding');

    await page.getByLabel(/Show accounts/).check();
    // A tech-touch account gets the welcome, then waits 4 days on the else branch.
    await expect
      .poll(() => page.getByTestId('node-count-wait4').textContent(), { timeout: 30_000 })
      .toBe('1 account here');
    expect(await page.getByTestId('node-count-assignCsm').textContent()).toBe('0 accounts here');
    await screenshot(page, 'onboarding-overlay');

    await page.getByTestId('rf__node-wait4').click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const here = page.getByTestId('runs-at-step');
    await expect.poll(() => here.getByRole('link', { name: accountId }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await here.locator('tbody tr').first().textContent()).toMatch(/timer/i);
    await expectAccessible(page, 'runs at a step');
    await here.getByRole('checkbox', { name: `Select the run of ${accountId}` }).check();
    await here.getByRole('button', { name: 'Skip the wait (1)' }).click();
    await expect.poll(() => here.getByRole('status').textContent()).toMatch(/: done/);
    await expect
      .poll(() => page.getByTestId('node-count-wait4').textContent(), { timeout: 30_000 })
      .toBe('0 accounts here');

    // The run's own page: its step log, and its workflow id to find its history in Temporal (this lane's
    // in-memory dev server runs without the Web UI, so there is no link to follow here).
    const runs = await api('GET', `/api/runs?playbook=onboarding-30d&account=${accountId}`);
    const workflowId = runs.body.items[0].workflowId as string;
    await page.goto(`/runs/${encodeURIComponent(workflowId)}`);
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('Enrolled in Onboarding, day 0–30');
    expect(await page.getByText('Wait 4 days: skipped').count()).toBe(1);
    expect(await page.getByTestId('workflow-id').textContent()).toBe(workflowId);
    await screenshot(page, 'run');
    await expectAccessible(page, 'run');
    expect(await pageErrors(page)).toEqual([]);
  });
});
