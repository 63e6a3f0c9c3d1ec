import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';
import { ok } from './ops-helpers.js';

// The admin's settings pages: API tokens (made, its secret shown once and working, revoked and no longer working),
// the audit log (the token's creation in it, read a page at a time), and the account fields (a bad name refused
// with the schema's words, a good one declared and listed).

let browser: Browser;
let page: Page;
const suffix = randomUUID().slice(0, 8);
const tokenName = `CI import ${suffix}`;

/** A call with a token's secret, as the system given the token would make it. */
async function callWith(secret: string, path: string) {
  const res = await fetch(`${inject('apiUrl')}${path}`, { headers: { authorization: `Bearer ${secret}` } });
  return res.status;
}

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openPage(browser, '/settings/tokens');
});
afterAll(async () => {
  await browser?.close();
});

describe('the settings pages of an admin', () => {
  it('API tokens: created with its secret shown once, listed, revoked', async () => {
    await page.getByTestId('token-list').waitFor();
    const form = page.getByRole('form', { name: 'Create a token' });
    // No name: the engine's schema says what is missing, before anything is asked of the server.
    await form.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => form.locator('.field-error').first().textContent()).toBe('Name must say what will use it');

    await form.getByLabel('Name (what will use it)').fill(tokenName);
    await form.getByRole('checkbox', { name: /events:write/ }).check();
    await form.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token-secret');
    await shown.waitFor();
    const secret = await shown.getByLabel('Secret').inputValue();
    expect(secret).toMatch(/^sf_[A-Za-z0-9_-]{40,}$/);
    await expectAccessible(page, 'tokens with a new secret');
    await screenshot(page, 'ops-tokens-created');
    // The secret works, with the scopes chosen: read, and no more than that outside events.
    expect(await callWith(secret, '/api/account-fields')).toBe(200);
    expect(await callWith(secret, '/api/tokens')).toBe(403);

    const row = page.getByTestId('token-list').locator('tbody tr', { hasText: tokenName });
    await expect.poll(() => row.textContent()).toMatch(/read, events:write.*never.*active/);
    // Shown once: dismissed, it is gone from the page, and the list never holds it.
    await shown.getByRole('button', { name: 'I have saved it' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    // Revoking asks first, then the token stops working at once.
    await row.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.textContent()).toMatch(/revoked/);
    expect(await callWith(secret, '/api/account-fields')).toBe(401);
    expect(await pageErrors(page)).toEqual([]);
  });

  it('audit log: the token’s creation and revocation, newest first', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit-list').waitFor();
    await page.getByLabel(/^Action/).fill('token.*');
    await page.getByLabel(/^Action/).press('Enter');
    await expect.poll(() => page.url()).toContain('action=token.');
    const rows = page.getByTestId('audit-list').locator('tbody tr', { hasText: tokenName });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('token.revoked');
    expect(await rows.nth(1).textContent()).toMatch(/token\.created.*scopes: \[.*"events:write".*\]/);
    await expectAccessible(page, 'audit log');
    await screenshot(page, 'ops-audit');
  });

  it('audit log: more than a page is read with "Load more", which appends the next page', async () => {
    // 101 relabellings of one field: 101 entries on that target, one more than the page holds.
    const name = `paged_${suffix}`;
    for (let i = 0; i <= 100; i++) {
      await ok('POST', '/api/account-fields', { name, type: 'number', label: `Paged ${i}` });
    }
    await page.goto(`/settings/audit?action=account_field.declared`);
    const rows = page.getByTestId('audit-list').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(100);
    const more = page.getByRole('button', { name: 'Load more entries' });
    // Reached by keyboard like any button: focused, then Enter.
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(101);
    const labels = await page.getByTestId('audit-list').locator('tbody tr', { hasText: name }).allTextContents();
    expect(labels).toHaveLength(101);
    // Newest first across the pages: the last relabelling on top, the first one at the end.
    expect(labels[0]).toContain('label: Paged 100');
    expect(labels[100]).toContain('label: Paged 0');
  });

  it('account fields: a bad name is refused with a clear message; a good one is declared and listed', async () => {
    await page.goto('/settings/account-fields');
    await page.getByTestId('built-in-field-list').waitFor();
    const form = page.getByRole('form', { name: 'Declare a custom field' });
    const name = form.getByLabel(/^Name/);
    await name.fill('2 tier');
    await form.getByRole('button', { name: 'Declare' }).click();
    await expect
      .poll(() => form.locator('.field-error').textContent())
      .toBe('Name must be an account field name such as renewalDate');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    const fields = await ok('GET', '/api/account-fields');
    expect(fields.custom.map((f: { name: string }) => f.name)).not.toContain('2 tier');

    // A built-in name passes the form's rules; the server refuses it, and the page says why.
    await name.fill('mrr');
    await form.getByRole('button', { name: 'Declare' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/mrr/);

    await name.fill(`tier_${suffix}`);
    await form.getByLabel('Type').selectOption('string');
    await form.getByLabel('Label (optional)').fill('Contract tier');
    await form.getByRole('button', { name: 'Declare' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe(`Declared tier_${suffix}.`);
    const row = page.getByTestId('custom-field-list').locator('tbody tr', { hasText: `tier_${suffix}` });
    await expect.poll(() => row.textContent()).toMatch(/Contract tier.*string/);
    await expectAccessible(page, 'account fields');
    await screenshot(page, 'ops-account-fields');
    expect(await pageErrors(page)).toEqual([]);
  });
});
