import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, dragBetween, expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';

// A CS ops lead builds the day-4 / day-5 part of onboarding without JSON: new playbook, steps dragged from the
// palette, connected, configured, a problem seen and fixed, the timeline previewed, then published.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const panel = (page: Page) => page.getByTestId('config-panel');
const outcome = (node: string, handle = 'out') =>
  `.react-flow__handle.source[data-nodeid="${node}"][data-handleid="${handle}"]`;
const into = (node: string) => `.react-flow__handle.target[data-nodeid="${node}"]`;

async function drop(page: Page, type: string, x: number, y: number) {
  await page
    .getByTestId(`palette-item-${type}`)
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

async function configureWait(page: Page, label: string, days: string) {
  await panel(page).getByLabel('Label').fill(label);
  await panel(page).getByLabel('Amount').fill(days);
  await panel(page).getByLabel('Unit').selectOption('days');
}

describe('drawing a playbook', () => {
  it('builds the day-4 and day-5 check-ins by drag and drop, fixes its problem, previews and publishes it', async () => {
    const page = await openPage(browser, '/playbooks');
    await expect.poll(() => page.getByRole('link', { name: 'Onboarding, day 0–30' }).isVisible()).toBe(true);
    await expectAccessible(page, 'playbook list');
    await screenshot(page, 'playbook-list');

    await page.getByRole('link', { name: 'New playbook' }).click();
    await page.getByLabel('Name').fill('Onboarding check-ins, days 4–5');
    await page.getByLabel(/^Key/).fill('checkins-day4-5');
    await expectAccessible(page, 'new playbook');
    await page.getByRole('button', { name: 'Create and open' }).click();
    await page.getByTestId('rf__node-start').waitFor();
    await expect.poll(() => page.getByRole('tab', { name: /Problems/ }).textContent()).toBe('Problems (0)');

    // Steps from the palette, each configured in its form as it lands.
    await drop(page, 'wait', 140, 120);
    await page.getByTestId('rf__node-wait1').waitFor();
    await configureWait(page, 'Wait 4 days', '4');
    await expect.poll(() => page.getByTestId('rf__node-wait1').textContent()).toContain('Wait 4 days');

    await drop(page, 'email', 140, 460);
    await page.getByTestId('rf__node-email1').waitFor();
    // A fresh email step names no template yet: its card says so.
    await expect.poll(() => page.getByTestId('node-error-email1').textContent()).toMatch(/template/);
    await panel(page).getByLabel('Label').fill('Day 4: how is it going?');
    await panel(page).getByLabel('Template').selectOption('onboarding-day4');

    await drop(page, 'wait', 830, 120);
    await configureWait(page, 'Wait 1 day', '1');
    await drop(page, 'email', 830, 460);
    await page.getByTestId('rf__node-email2').waitFor();
    await panel(page).getByLabel('Label').fill('Day 5: ROI tips');

    // Connected outcome to step; the start's old connection to the end is replaced by the new one.
    await dragBetween(page, outcome('start'), into('wait1'));
    await dragBetween(page, outcome('wait1'), into('email1'));
    await dragBetween(page, outcome('email1'), into('wait2'));
    await dragBetween(page, outcome('wait2'), into('email2'));
    await dragBetween(page, outcome('email2'), into('end'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(5);

    // One problem left: the day-5 email has no template. The list names it; clicking it opens that step.
    await expect.poll(() => page.getByRole('tab', { name: /Problems/ }).textContent()).toBe('Problems (1)');
    await expect.poll(() => page.getByTestId('node-error-email2').isVisible()).toBe(true);
    await page.getByRole('tab', { name: /Problems/ }).click();
    const issue = page.getByTestId('issue-list').getByRole('button');
    expect(await issue.textContent()).toMatch(/Day 5: ROI tips.*template/);
    await screenshot(page, 'editor-problems');
    await expectAccessible(page, 'editor with a problem');
    await issue.click();
    await expect.poll(() => panel(page).getByRole('heading').textContent()).toContain('email2');
    await panel(page).getByLabel('Template').selectOption('onboarding-day5');
    await expect.poll(() => page.getByTestId('node-error-email2').count()).toBe(0);
    await expect.poll(() => page.getByRole('tab', { name: /Problems/ }).textContent()).toBe('Problems (0)');
    await expect.poll(() => page.getByTestId('rf__node-email2').textContent()).toMatch(/Email · .*ROI/);

    await page.getByRole('button', { name: 'Tidy up' }).click();
    await screenshot(page, 'editor-canvas');

    // The preview runs the engine's simulator here: a Sunday enrollment in Madrid emails on Thursday and Friday.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Time zone').fill('Europe/Madrid');
    await page.getByLabel('Enrolls at (local)').fill('2026-03-01T10:00');
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.textContent(), { timeout: 10_000 }).toContain('Day 4 · Thu 5 Mar 2026');
    const days = await timeline.locator('.timeline-day').allTextContents();
    expect(days.find((d) => d.startsWith('Day 4'))).toContain('Email "Day 4: how is it going?" (onboarding-day4)');
    expect(days.find((d) => d.startsWith('Day 5'))).toMatch(
      /^Day 5 · Fri 6 Mar 2026.*Email "Day 5: ROI tips" \(onboarding-day5\)/,
    );
    expect(await page.locator('.step-card.on-path').count()).toBe(6);
    await screenshot(page, 'editor-preview');
    await expectAccessible(page, 'preview');

    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish a new version' });
    await expect.poll(() => dialog.getByTestId('publish-impact').textContent()).toContain('never been published');
    await expectAccessible(page, 'publish');
    await dialog.getByRole('button', { name: 'Save and publish' }).click();
    await expect.poll(() => page.getByText(/Published version 1/).isVisible()).toBe(true);
    const stored = await api('GET', '/api/playbooks/checkins-day4-5');
    expect(stored.body.playbook.currentVersion).toBe(1);
    expect(stored.body.issues).toEqual([]);
    expect(stored.body.playbook.draft.nodes.map((n: { id: string }) => n.id)).toEqual([
      'start',
      'end',
      'wait1',
      'email1',
      'wait2',
      'email2',
    ]);
    expect(await pageErrors(page)).toEqual([]);
  });
});
