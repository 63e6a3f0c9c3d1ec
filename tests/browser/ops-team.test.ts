import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, pageErrors, screenshot } from './browser.js';
import { createPerson, ok, openPageAs, type Person } from './ops-helpers.js';

// A manager's dashboard for the whole team at once: a row per member with their dashboard's numbers (the API's,
// owner by owner), the team's total, and each number leading to the list it counts.

let browser: Browser;
let manager: Person;
let ana: Person;
let bruno: Person;
const suffix = randomUUID().slice(0, 8);
const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  browser = await launchBrowser();
  manager = await createPerson(`boss-${suffix}@cs.example`, 'manager', { name: 'Marta Manager' });
  ana = await createPerson(`ana-${suffix}@cs.example`, 'csm', { name: 'Ana', managerId: manager.id });
  bruno = await createPerson(`bruno-${suffix}@cs.example`, 'csm', { name: 'Bruno', managerId: manager.id });
  // Ana owns two accounts (one renewing soon), Bruno one, the manager one of their own.
  const accounts: [string, Person, string | undefined][] = [
    ['a1', ana, soon(30)],
    ['a2', ana, undefined],
    ['b1', bruno, soon(60)],
    ['m1', manager, undefined],
  ];
  for (const [key, owner, renewalDate] of accounts) {
    await ok('POST', '/api/accounts', {
      externalId: `team-${key}-${suffix}`,
      name: `Equipo ${key} ${suffix}`,
      ownerCsmEmail: owner.email,
      csmManagerEmail: manager.email,
      ...(renewalDate && { renewalDate }),
    });
  }
});
afterAll(async () => {
  await browser?.close();
});

describe("a manager's dashboard", () => {
  it('shows the whole team: each member’s numbers as the API counts them, and the total', async () => {
    const page = await openPageAs(browser, '/dashboard', manager);
    await page.getByTestId('dash-health').waitFor();
    await page.getByRole('navigation', { name: 'Whose numbers' }).getByRole('link', { name: 'Whole team' }).click();
    const table = page.getByTestId('team-dashboard');
    await table.waitFor();
    await expect.poll(() => page.url()).toContain('view=team');

    // The figures of each row are that owner's dashboard, as the API answers it.
    const figure = async (owner: string, what: string) =>
      Number((await page.getByTestId(`team-${owner}-${what}`).textContent())!.replace(/\D/g, ''));
    let total = 0;
    let renewals = 0;
    for (const person of [manager, ana, bruno]) {
      const api = await ok('GET', `/api/dashboard?owner=${encodeURIComponent(person.email)}`);
      expect(await figure(person.email, 'accounts')).toBe(api.health.accounts);
      total += api.health.accounts;
      renewals += api.renewals.accounts;
    }
    expect(await figure(ana.email, 'accounts')).toBe(2);
    expect(await figure(bruno.email, 'accounts')).toBe(1);
    expect(await figure(manager.email, 'accounts')).toBe(1);
    expect(await figure('total', 'accounts')).toBe(total);
    expect(total).toBe(4);
    const totalRow = table.locator('tbody tr').last();
    expect(await totalRow.locator('th').textContent()).toBe('Whole team');
    expect(renewals).toBe(2);
    await expectAccessible(page, 'team dashboard');
    await screenshot(page, 'ops-dashboard-team');

    // A member's number opens the list it counts, by keyboard.
    await page.getByTestId(`team-${ana.email}-accounts`).focus();
    await page.keyboard.press('Enter');
    const list = page.getByTestId('account-list');
    await list.waitFor();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(2);
    expect(await list.textContent()).toContain(`Equipo a1 ${suffix}`);
    expect(await pageErrors(page)).toEqual([]);
  });

  it('says so when a manager has no team yet', async () => {
    const alone = await createPerson(`alone-${suffix}@cs.example`, 'manager');
    const page = await openPageAs(browser, '/dashboard?view=team', alone);
    await expect.poll(() => page.getByText('No one is in your team yet').isVisible()).toBe(true);
    await expectAccessible(page, 'empty team dashboard');
  });
});
