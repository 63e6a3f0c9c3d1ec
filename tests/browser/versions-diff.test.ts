import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, dragBetween, expectAccessible, launchBrowser, openPage, pageErrors, screenshot } from './browser.js';

// Publishing with a note, publishing a draft that changed nothing, and the draft compared with a published
// version on the canvas: a changed step, a removed one drawn ghosted, a new one, a rerouted connection.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const KEY = 'versions-compared';
const at = (x: number, y: number) => ({ x, y });
const definition = {
  schemaVersion: 1,
  key: KEY,
  name: 'Versions compared',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', position: at(0, 0), config: {} },
    {
      id: 'wait',
      type: 'wait',
      label: 'Wait 3 days',
      position: at(0, 170),
      config: { kind: 'duration', amount: 3, unit: 'days' },
    },
    {
      id: 'call',
      type: 'task',
      label: 'Call the customer',
      position: at(0, 340),
      config: { assignee: 'ownerCsm', kind: 'call', title: 'Call', dueIn: { amount: 1, unit: 'days' } },
    },
    { id: 'end', type: 'end', label: 'End', position: at(0, 510), config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'call' },
    { id: 'e3', source: 'call', target: 'end' },
  ],
};

const publishDialog = (page: Page) => page.getByRole('dialog', { name: 'Publish a new version' });
const change = (page: Page, id: string) => page.getByTestId(`node-change-${id}`);

describe('versions', () => {
  it('publishes with a note, says when nothing changed, and compares the draft with a version on the canvas', async () => {
    expect((await api('POST', '/api/playbooks', { definition })).status).toBe(201);
    const page = await openPage(browser, `/playbooks/${KEY}`);
    await page.locator('.editor[data-opened]').waitFor();

    // Published with a note, by the person signed in.
    await page.getByRole('button', { name: 'Publish…' }).click();
    await publishDialog(page).getByLabel('Note (optional)').fill('  First cut: a call after three days  ');
    await expect.poll(() => publishDialog(page).getByText('38 / 500').isVisible()).toBe(true);
    await publishDialog(page).getByRole('button', { name: 'Save and publish' }).click();
    await expect.poll(() => page.getByText(/Published version 1/).isVisible()).toBe(true);

    // The same draft again: no new version, and the dialog says so (the note is not kept).
    await page.getByRole('button', { name: 'Publish…' }).click();
    await publishDialog(page).getByLabel('Note (optional)').fill('Again');
    await publishDialog(page).getByRole('button', { name: 'Save and publish' }).click();
    await expect
      .poll(() => publishDialog(page).getByTestId('publish-unchanged').textContent())
      .toMatch(/^Nothing changed since version 1/);
    await expectAccessible(page, 'publish, unchanged');
    await publishDialog(page).getByRole('button', { name: 'Close' }).click();
    const versions = await api('GET', `/api/playbooks/${KEY}/versions`);
    expect(versions.body.items).toEqual([
      expect.objectContaining({
        version: 1,
        note: 'First cut: a call after three days',
        publishedBy: inject('browserAdmin').email,
      }),
    ]);

    // The draft moves on: the wait renamed, the call removed, a step added, the wait connected to the end.
    await page.getByTestId('rf__node-wait').click();
    await page.getByTestId('config-panel').getByLabel('Label').fill('Wait 4 days');
    await page.getByTestId('rf__node-call').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('rf__node-call').count()).toBe(0);
    await page.getByTestId('palette-item-goal').dragTo(page.locator('.react-flow__pane'), {
      targetPosition: { x: 700, y: 200 },
    });
    await page.getByTestId('rf__node-goal1').waitFor();
    await dragBetween(
      page,
      '.react-flow__handle.source[data-nodeid="wait"][data-handleid="out"]',
      '.react-flow__handle.target[data-nodeid="end"]',
    );
    await expect.poll(() => page.locator('[aria-label="Edge from wait to end"]').count()).toBe(1);

    // Picked from the versions, version 1 is drawn under the draft with every difference marked.
    await page.getByRole('button', { name: 'Versions' }).click();
    const list = page.getByRole('dialog', { name: 'Published versions' }).getByTestId('versions');
    await expect.poll(() => list.textContent()).toContain('First cut: a call after three days');
    expect(await list.textContent()).toContain(`by ${inject('browserAdmin').email}`);
    await expectAccessible(page, 'versions');
    await list.getByRole('button', { name: 'Compare draft with version 1' }).click();

    const legend = page.getByTestId('diff-legend');
    await expect.poll(() => legend.isVisible()).toBe(true);
    expect(await legend.textContent()).toContain('Draft compared with version 1');
    expect(await legend.textContent()).toContain('“First cut: a call after three days”');
    const rows = await legend.locator('li').allTextContents();
    expect(rows).toEqual([
      'Added: 1 step, 0 connections',
      'Changed: 1 step, 1 connection',
      'Removed (ghosted): 1 step, 1 connection',
    ]);
    expect(await change(page, 'wait').textContent()).toBe('Changed: label');
    expect(await change(page, 'goal1').textContent()).toBe('New step');
    expect(await change(page, 'call').textContent()).toBe('Removed');
    expect(await change(page, 'start').count()).toBe(0);
    // The removed step stands where it stood, ghosted and out of reach of edits.
    const ghost = page.getByTestId('rf__node-call');
    expect(await ghost.getAttribute('class')).toContain('ghost');
    expect(await ghost.locator('.step-card.change-removed').count()).toBe(1);
    expect(await page.locator('.react-flow__edge.change-removed').getAttribute('aria-label')).toBe(
      'Edge from call to end',
    );
    expect(await page.locator('.react-flow__edge.change-changed').getAttribute('aria-label')).toBe(
      'Edge from wait to end',
    );
    await screenshot(page, 'editor-compare');
    await expectAccessible(page, 'draft compared with a version');

    // The comparison follows the draft: the new step deleted, it no longer counts as added.
    await page.getByTestId('rf__node-goal1').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => legend.locator('li').first().textContent()).toBe('Added: 0 steps, 0 connections');

    await legend.getByRole('button', { name: 'Back to editing' }).click();
    await expect.poll(() => page.getByTestId('diff-legend').count()).toBe(0);
    expect(await page.getByTestId('rf__node-call').count()).toBe(0);
    expect(await page.locator('[data-testid^="node-change-"]').count()).toBe(0);
    expect(await pageErrors(page)).toEqual([]);
  });
});
