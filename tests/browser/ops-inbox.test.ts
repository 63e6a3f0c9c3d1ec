import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discountOffer, discountOfferTemplate } from '../support/approval-playbooks.js';
import { until } from '../support/until.js';
import { expectAccessible, launchBrowser, pageErrors, screenshot } from './browser.js';
import { createPerson, ok, openPageAs, type Person } from './ops-helpers.js';

// The CSM's inbox on the real stack: a discount proposal edited within its bounds (the preview follows), approved,
// and the email that goes out carries the edited value; an approval nobody answered reaches the manager.

let browser: Browser;
const suffix = randomUUID().slice(0, 8);
const template = `ops-offer-${suffix}`;
let csm: Person;
let manager: Person;
const accounts: Record<'offer' | 'escalated', { id: string; name: string }> = {} as never;

beforeAll(async () => {
  browser = await launchBrowser();
  manager = await createPerson(`mgr-${suffix}@cs.example`, 'manager', { name: 'Marisa Manager' });
  csm = await createPerson(`csm-${suffix}@cs.example`, 'csm', { name: 'Carlos CSM', managerId: manager.id });
  await ok('PUT', `/api/templates/${template}`, discountOfferTemplate);
  const slow = discountOffer(`ops-offer-${suffix}`, template);
  // The same offer, but the CSM has one minute before it escalates to their manager (who then has a day).
  const fast = structuredClone(discountOffer(`ops-offer-fast-${suffix}`, template)) as unknown as {
    key: string;
    nodes: { id: string; config: Record<string, unknown> }[];
  };
  fast.nodes.find((n) => n.id === 'incentive')!.config.timeout = { amount: 1, unit: 'minutes' };
  for (const definition of [slow, fast]) {
    await ok('POST', '/api/playbooks', { definition });
    await ok('POST', `/api/playbooks/${definition.key}/publish`);
  }
  for (const [which, key] of [
    ['offer', slow.key],
    ['escalated', fast.key],
  ] as const) {
    const name = `${which === 'offer' ? 'Olivos' : 'Escarcha'} ${suffix}`;
    const account = await ok('POST', '/api/accounts', {
      externalId: `ops-inbox-${which}-${suffix}`,
      name,
      ownerCsmEmail: csm.email,
      csmManagerEmail: manager.email,
    });
    await ok('POST', `/api/accounts/${account.id}/contacts`, {
      name: 'Lucía Cliente',
      email: `lucia-${which}-${suffix}@customer.example`,
    });
    await ok('POST', `/api/playbooks/${key}/enrollments`, { accountId: account.id });
    accounts[which] = { id: account.id as string, name };
  }
});
afterAll(async () => {
  await browser?.close();
});

describe('the inbox', () => {
  it('lets a CSM edit a discount within its bounds, approve it, and find the email with the edited value', async () => {
    await until('the approval in the CSM’s inbox', async () => {
      const items = (await ok('GET', `/api/approvals?view=open&account=${accounts.offer.id}`)).items as unknown[];
      return items.length ? items : undefined;
    });
    const page = await openPageAs(browser, '/inbox', csm);
    await expect.poll(() => page.getByRole('link', { name: /^Inbox\s*\d+ waiting on you$/ }).count()).toBe(1);
    // A CSM has no team view.
    expect(await page.getByRole('link', { name: /^My team/ }).count()).toBe(0);
    const list = page.getByTestId('approval-list');
    await list.getByRole('link', { name: new RegExp(accounts.offer.name) }).click();
    const detail = page.getByTestId('approval-detail');
    await detail.getByRole('heading', { name: 'Renewal discount to keep the account' }).waitFor();
    await expect
      .poll(() => detail.getByTestId('proposal-subject').textContent())
      .toBe(`A 10 % discount for ${accounts.offer.name}`);
    await expectAccessible(page, 'inbox');
    await screenshot(page, 'ops-inbox');

    // Out of bounds: the engine's own check says so, and approving waits for a value in bounds.
    const discount = detail.getByLabel('Discount');
    await discount.fill('25');
    await expect.poll(() => detail.locator('.field-error').textContent()).toMatch(/at most 20 %/);
    expect(await detail.getByRole('button', { name: /^Approve/ }).isDisabled()).toBe(true);
    await discount.fill('15');
    await expect.poll(() => detail.locator('.field-error').count()).toBe(0);
    // The preview is the server's rendering of the same template with the edited value.
    await expect
      .poll(() => detail.getByTestId('proposal-subject').textContent(), { timeout: 10_000 })
      .toBe(`A 15 % discount for ${accounts.offer.name}`);
    await detail.getByRole('button', { name: 'Approve with these values' }).click();
    await expect.poll(() => detail.textContent()).toMatch(/Decided by .*csm-/);
    await expect.poll(() => detail.textContent()).toContain('discount: 10 → 15');

    // The email that went out, in the outbox, says 15 %.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click();
    const emails = page.getByTestId('delivery-list');
    const row = emails.getByRole('row', { name: new RegExp(`A 15 % discount for ${accounts.offer.name}`) });
    await expect
      .poll(
        async () => {
          if ((await row.count()) === 0 || !/sent/.test((await row.textContent()) ?? '')) {
            await page.reload();
            await emails.waitFor();
          }
          return row.textContent();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(/sent/);
    await expectAccessible(page, 'outbox');
    await screenshot(page, 'ops-outbox');
    await row.getByRole('link').click();
    await expect
      .poll(() => page.getByTestId('text-part').textContent())
      .toContain('15 % discount on your next renewal');
    expect(await page.frameLocator('iframe[title="The email\'s HTML"]').locator('body').textContent()).toContain(
      '15 %',
    );
    await expectAccessible(page, 'email');
    await screenshot(page, 'ops-email');
    expect(await pageErrors(page)).toEqual([]);
  });

  it('shows the manager an approval escalated to them', async () => {
    const escalated = await until(
      'the approval to escalate to the manager',
      async () => {
        const items = (await ok('GET', `/api/approvals?view=open&account=${accounts.escalated.id}`)).items as {
          level: number;
          assignee: { email: string | null };
        }[];
        return items.find((a) => a.level > 0);
      },
      150_000,
    );
    expect(escalated.assignee.email).toBe(manager.email);
    const page = await openPageAs(browser, '/inbox', manager);
    // Escalated to them, it waits on the manager now: in their own view, marked as escalated.
    const item = page.getByTestId('approval-list').getByRole('link', { name: new RegExp(accounts.escalated.name) });
    await expect.poll(() => item.textContent()).toContain('escalated');
    await item.click();
    const detail = page.getByTestId('approval-detail');
    await expect.poll(() => detail.textContent()).toMatch(new RegExp(`Held by ${manager.email} \\(escalated`));
    expect(await detail.getByLabel('Discount').isEditable()).toBe(true);
    // A manager also has their team's view (what waits on their CSMs).
    await page.getByRole('link', { name: /^My team/ }).click();
    await expect.poll(() => page.url()).toContain('view=team');
    await expectAccessible(page, 'manager inbox');
    await screenshot(page, 'ops-inbox-manager');
    expect(await pageErrors(page)).toEqual([]);
  }, 200_000);
});
