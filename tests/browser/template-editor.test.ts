import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';

// The email step's template as CS ops edit it: Liquid + Markdown with the variables offered as they type, and the
// email rendered by the server's renderer in Spanish and English while they write.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the template editor', () => {
  it('previews a shipped template in Spanish and English, completes variables and re-renders as it is edited', async () => {
    const page = await openPage(browser, '/templates');
    await page
      .getByRole('link', { name: /onboarding-day4|Day 4/ })
      .first()
      .click();
    const es = page.getByTestId('template-preview-es');
    const en = page.getByTestId('template-preview-en');
    await expect.poll(() => es.locator('.preview-subject').textContent(), { timeout: 15_000 }).toMatch(/Subject: .+/);
    await expect.poll(() => en.locator('.preview-subject').textContent()).toMatch(/Subject: .+/);
    const spanish = await es.locator('.preview-subject').textContent();
    expect(spanish).not.toEqual(await en.locator('.preview-subject').textContent());

    const body = page.getByRole('textbox', { name: 'English body' });
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nYour plan: {{ account.pl');
    const completion = page.locator('.cm-tooltip-autocomplete');
    await expect.poll(() => completion.textContent()).toContain('account.plan');
    await completion.getByRole('option', { name: /^account\.plan/ }).click();
    await page.keyboard.type(' }} — renews on {{ account.renewalDate }}.');
    const frame = page.frameLocator('iframe[title="English email preview"]');
    await expect
      .poll(() => frame.locator('body').textContent(), { timeout: 15_000 })
      .toMatch(/Your plan: .* renews on/);
    await screenshot(page, 'template-editor');
    await expectAccessible(page, 'template editor');
    expect(await pageErrors(page)).toEqual([]);
  });
});
