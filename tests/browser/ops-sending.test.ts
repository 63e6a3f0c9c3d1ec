import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE } from '../../engine/governance/schema.js';
import { DEFAULT_CALENDAR_SETTINGS } from '../../engine/time/calendar-settings.js';
import { api, expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';
import { ok } from './ops-helpers.js';

// Settings → Calendars and sending as an operator uses it: a country the holiday library does not know is refused
// with the server's words and nothing is saved; a window that ends before it starts is caught before sending; the
// Mexican holidays, a closure and onboarding's exemption are saved and read back by the API the runs use.

let browser: Browser;
let page: Page;
const calendarsForm = () => page.getByRole('form', { name: 'Business calendars and send windows' });
const governanceForm = () => page.getByRole('form', { name: 'Contact governance' });

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openPage(browser, '/settings/sending');
});
afterAll(async () => {
  // The lane's other files preview and run the shipped playbooks: leave the shipped settings behind.
  await api('PUT', '/api/settings/calendars', DEFAULT_CALENDAR_SETTINGS);
  await api('PUT', '/api/settings/governance', DEFAULT_GOVERNANCE);
  await api('PUT', '/api/settings/slack', { webhookUrl: null });
  await browser?.close();
});

describe('the calendars and sending settings page', () => {
  it('refuses an unknown holiday country with the server’s words and saves nothing', async () => {
    await calendarsForm().waitFor();
    await expectAccessible(page, 'settings-sending');
    const before = await ok('GET', '/api/settings/calendars');
    await page.getByLabel(/Public holidays of/).fill('XX');
    await page.getByRole('button', { name: 'Save calendars' }).click();
    await expect
      .poll(() => calendarsForm().getByRole('alert').textContent())
      .toContain('No public holidays are known for XX');
    expect(await ok('GET', '/api/settings/calendars')).toEqual(before);
  });

  it('catches a send window that ends before it starts, before anything is sent', async () => {
    await page.getByLabel(/Public holidays of/).fill('MX');
    await page.locator('#install-to').fill('08:00');
    await page.getByRole('button', { name: 'Save calendars' }).click();
    await expect
      .poll(() => calendarsForm().getByRole('alert').first().textContent())
      .toContain('must be later than the start of the window');
  });

  it('saves Mexico’s holidays, a closure and a shorter window; the API the runs read has them', async () => {
    await page.locator('#install-to').fill('17:00');
    await page.getByRole('button', { name: 'Add a closure' }).click();
    const closure = page.getByRole('group', { name: 'Closure 1' });
    await closure.getByLabel('First day').fill('2026-12-24');
    await closure.getByLabel('Last day').fill('2026-12-31');
    await closure.getByLabel('Label').fill('Year-end');
    await page.getByText('Public holidays of MX in').click();
    await expect.poll(() => page.locator('.holiday-preview li').count()).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Save calendars' }).click();
    await calendarsForm().getByRole('status').waitFor();
    await screenshot(page, 'ops-settings-sending');
    const saved = await ok('GET', '/api/settings/calendars');
    expect(saved.value.install).toEqual({
      weekend: ['sat', 'sun'],
      holidayCountry: 'MX',
      closures: [{ from: '2026-12-24', to: '2026-12-31', label: 'Year-end' }],
      sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
    });
    expect(saved.updatedBy).toBeTruthy();
  });

  it('caps onboarding like any playbook once its exemption is unticked, from the keyboard', async () => {
    await governanceForm().waitFor();
    const exempt = page.getByLabel('onboarding-30d is exempt from the cap');
    expect(await exempt.isChecked()).toBe(true);
    await exempt.focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Save governance' }).focus();
    await page.keyboard.press('Enter');
    await governanceForm().getByRole('status').waitFor();
    const saved = await ok('GET', '/api/settings/governance');
    expect(saved.value.playbooks['onboarding-30d']).toEqual({ priority: 'high', exempt: false, promotional: false });
    expect(saved.value.frequencyCap).toEqual({ max: 3, period: { amount: 7, unit: 'days' } });
  });

  it('refuses a Slack webhook on the private network, then keeps a good one masked', async () => {
    const slackForm = page.getByRole('form', { name: 'Slack' });
    await page.getByLabel(/New incoming-webhook address/).fill('https://10.0.0.5/hook');
    await page.getByRole('button', { name: 'Save Slack webhook' }).click();
    await expect.poll(() => slackForm.getByRole('alert').textContent()).toContain('Stayflow will not post to 10.0.0.5');
    await page.getByLabel(/New incoming-webhook address/).fill('https://hooks.slack.com/services/T1/B1/keepitsecret');
    await page.getByRole('button', { name: 'Save Slack webhook' }).click();
    await slackForm.getByRole('status').waitFor();
    expect(await slackForm.textContent()).toContain('https://hooks.slack.com/…cret (set here)');
    expect(await slackForm.textContent()).not.toContain('keepitsecret');
    expect((await ok('GET', '/api/settings/slack')).source).toBe('settings');
    expect(await pageErrors(page)).toEqual([]);
  });
});
