import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';
import { ok } from './ops-helpers.js';

// The accounts pages as CS ops use them: the list filtered by risk, an account's health chart with the signals
// behind each change and why (not) in each playbook, and a CSV checked by a dry run that writes nothing.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const suffix = randomUUID().slice(0, 8);

/** Records an event and scores the account now: one more point of its health history. */
async function eventThenScore(accountId: string, name: string, score: number, n: number) {
  await ok('POST', '/api/events', { accountId, name, data: { score }, idempotencyKey: `${name}-${suffix}-${n}` });
  await ok('POST', `/api/accounts/${accountId}/health`);
}

describe('the accounts pages', () => {
  it('shows an account’s health over time, why it is at risk, and why (not) in each playbook', async () => {
    const account = await ok('POST', '/api/accounts', {
      externalId: `ops-acc-${suffix}`,
      name: `Compañía Uno ${suffix}`,
      segment: 'high-touch',
      ownerCsmEmail: `ana-${suffix}@cs.example`,
      renewalDate: '2027-01-31',
    });
    await ok('POST', `/api/accounts/${account.id}/contacts`, {
      name: 'Marta Ruiz',
      email: `marta-${suffix}@uno.example`,
    });
    // Healthy, then NPS 2 (a high signal: low risk), then CSAT 1 (another: medium).
    await eventThenScore(account.id, 'nps.answered', 9, 1);
    await eventThenScore(account.id, 'nps.answered', 2, 2);
    await eventThenScore(account.id, 'csat.answered', 1, 3);
    // A customer this account referred subscribed: $200 of credit on its referral ledger.
    await ok('POST', '/api/events', {
      accountId: account.id,
      name: 'referral.converted',
      data: { referredName: `Transportes Norte ${suffix}` },
      idempotencyKey: `referral-${suffix}`,
    });

    const page = await openPage(browser, `/accounts?q=${encodeURIComponent(suffix)}&riskLevel=medium`);
    const list = page.getByTestId('account-list');
    await expect.poll(() => list.textContent()).toContain(`Compañía Uno ${suffix}`);
    expect(await list.textContent()).toContain('medium risk');
    await expectAccessible(page, 'accounts list');
    await screenshot(page, 'ops-accounts');
    // The same search at another level finds nothing, and says so.
    await page.getByLabel('Risk level').selectOption('high');
    await expect.poll(() => page.getByText('No account matches these filters').isVisible()).toBe(true);
    await page.getByLabel('Risk level').selectOption('medium');

    await list.getByRole('link', { name: `Compañía Uno ${suffix}` }).click();
    await page.getByRole('heading', { name: `Compañía Uno ${suffix}`, level: 1 }).waitFor();
    const health = page.getByTestId('account-health');
    await health.getByTestId('health-chart').waitFor();
    await expect.poll(() => health.locator('.recharts-line-curve').count()).toBe(1);
    const why = await health.getByTestId('health-why').textContent();
    expect(why).toMatch(/NPS/);
    expect(why).toMatch(/CSAT/);
    const changes = await health.getByTestId('health-changes').locator(':scope > li').allTextContents();
    // Newest first: CSAT started firing, then NPS, then the first score.
    expect(changes[0]).toMatch(/Started: .*CSAT/);
    expect(changes.some((c) => /Started: .*NPS/.test(c) && !/CSAT/.test(c))).toBe(true);
    expect(changes.at(-1)).toMatch(/first score 100/);
    const enrollment = page.getByTestId('enrollment-why');
    await expect.poll(() => enrollment.textContent(), { timeout: 20_000 }).toContain('Onboarding, day 0–30');
    expect(await enrollment.locator('.why-list li').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('contacts').textContent()).toContain('subscribed');
    const referrals = page.getByTestId('referrals');
    await expect.poll(() => referrals.textContent()).toContain('$200.00 of credit: 1 referred customer subscribed');
    expect(await referrals.textContent()).toContain(`Transportes Norte ${suffix}`);
    await expectAccessible(page, 'account');
    await screenshot(page, 'ops-account');
    expect(await pageErrors(page)).toEqual([]);
  });

  it('checks a CSV file by a dry run that reports the bad row and writes nothing', async () => {
    const good = `ops-csv-${suffix}-ok`;
    const bad = `ops-csv-${suffix}-bad`;
    const csv = `external_id,name,segment,mrr\n${good},Dos S.L.,mid-touch,1200.50\n${bad},Tres S.A.,tech-touch,"4.200,50"\n`;
    const page = await openPage(browser, '/accounts/import');
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    const report = page.getByTestId('import-report');
    await expect.poll(() => report.textContent()).toContain('Dry run: nothing was written');
    expect(await report.textContent()).toContain('1 would be created');
    const rejected = await report.locator('tbody tr').allTextContents();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toContain('Row 3');
    expect(rejected[0]).toContain(bad);
    expect(rejected[0]).toMatch(/mrr.*'4\.200,50' is not a number/);
    await expectAccessible(page, 'CSV dry run');
    await screenshot(page, 'ops-import-dry-run');
    for (const externalId of [good, bad]) {
      expect((await api('GET', `/api/accounts/by-external-id/${externalId}`)).status).toBe(404);
    }

    // A file in another encoding is refused whole, with the line, rather than stored with broken letters.
    const latin1 = Buffer.concat([
      Buffer.from(`external_id,name\n${good},Compa`),
      Buffer.from([0xf1]),
      Buffer.from('ia\n'),
    ]);
    await page.getByLabel('CSV file').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/line 2 .*not UTF-8/);
    expect((await api('GET', `/api/accounts/by-external-id/${good}`)).status).toBe(404);
    expect(await pageErrors(page)).toEqual([]);
  });
});
