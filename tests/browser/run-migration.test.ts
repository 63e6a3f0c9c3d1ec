import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';

// A CS ops person moves the accounts still going through version 1 to version 2 from the versions dialog: the
// dry run names the step that cannot map by itself, they map it, see every run's step before and after, move
// them, and watch every run answer.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const KEY = 'migration-in-the-editor';
const RUNS = 3;
const version = (callId: string, callLabel: string) => ({
  schemaVersion: 1,
  key: KEY,
  name: 'Migration in the editor',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'wait',
      type: 'wait',
      label: 'Wait 3 days',
      position: { x: 0, y: 170 },
      config: { kind: 'duration', amount: 3, unit: 'days' },
    },
    {
      id: callId,
      type: 'task',
      label: callLabel,
      position: { x: 0, y: 340 },
      config: { assignee: 'ownerCsm', kind: 'call', title: callLabel, dueIn: { amount: 1, unit: 'days' } },
    },
    { id: 'end', type: 'end', label: 'End', position: { x: 0, y: 510 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: callId },
    { id: 'e3', source: callId, target: 'end' },
  ],
});

describe('moving running accounts to a newer version', () => {
  it('maps the renamed step by hand, shows each run before and after, and moves them', async () => {
    expect((await api('POST', '/api/playbooks', { definition: version('call', 'Call the customer') })).status).toBe(
      201,
    );
    expect((await api('POST', `/api/playbooks/${KEY}/publish`)).status).toBe(201);
    for (let n = 0; n < RUNS; n++) {
      const account = await api('POST', '/api/accounts', { externalId: `${KEY}-${n}`, name: `Editor move ${n}` });
      expect(account.status).toBe(201);
      expect((await api('POST', `/api/playbooks/${KEY}/enrollments`, { accountId: account.body.id })).status).toBe(201);
    }
    await expect
      .poll(async () => (await api('GET', `/api/runs?playbook=${KEY}&node=wait`)).body.items?.length, {
        timeout: 60_000,
      })
      .toBe(RUNS);
    expect(
      (await api('PUT', `/api/playbooks/${KEY}`, { definition: version('checkIn', 'Check-in call') })).status,
    ).toBe(200);
    expect((await api('POST', `/api/playbooks/${KEY}/publish`)).status).toBe(201);

    const page = await openPage(browser, `/playbooks/${KEY}`);
    await page.locator('.editor[data-opened]').waitFor();
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Move its running accounts to version 2…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move running accounts from version 1 to 2' });
    await expect
      .poll(() => dialog.getByTestId('migrate-problems').textContent(), { timeout: 30_000 })
      .toMatch(/version 2 has no step call/);
    const move = dialog.getByRole('button', { name: /^Move \d+ runs? to version 2$/ });
    expect(await move.isDisabled()).toBe(true);
    await expectAccessible(page, 'migration, unmapped');

    await dialog.getByLabel('Version 1’s “Call the customer” becomes').selectOption('checkIn');
    await expect
      .poll(() => dialog.getByTestId('migrate-summary').textContent(), { timeout: 30_000 })
      .toBe(`${RUNS} of ${RUNS} running accounts can move.`);
    const rows = dialog.getByTestId('migrate-runs').locator('tbody tr');
    expect(await rows.count()).toBe(RUNS);
    expect(await rows.first().locator('td').first().textContent()).toMatch(/^Editor move \d$/);
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('Wait 3 days');
    expect(await rows.first().locator('td').nth(2).textContent()).toBe('Wait 3 days');
    await screenshot(page, 'migration-dry-run');

    await dialog.getByRole('button', { name: `Move ${RUNS} runs to version 2` }).click();
    await expect
      .poll(() => dialog.getByTestId('migrate-progress').textContent(), { timeout: 60_000 })
      .toMatch(new RegExp(`Done: ${RUNS} runs move to version 2 at their next step`));
    await expectAccessible(page, 'migration, done');
    expect(await pageErrors(page)).toEqual([]);

    // The move is in the audit log, with the mapping chosen by hand.
    const audit = await api('GET', '/api/audit?action=playbook.migration_started');
    expect(audit.body.items[0]).toMatchObject({
      target: { kind: 'playbook', id: KEY },
      detail: expect.objectContaining({
        from: 1,
        to: 2,
        runs: RUNS,
        nodeMap: expect.objectContaining({ call: 'checkIn' }),
      }),
    });
  });
});
