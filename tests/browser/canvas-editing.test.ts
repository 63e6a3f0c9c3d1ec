import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, dragBetween, launchBrowser, openPage, pageErrors } from './browser.js';

// Editing on the canvas with mouse and keyboard: selecting several steps, copying and pasting them (within a
// playbook and into another one, through the system clipboard), undo and redo, and moving a connection's end.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const at = (x: number, y: number) => ({ x, y });
const wait = (id: string, label: string, days: number, x: number, y: number) => ({
  id,
  type: 'wait',
  label,
  position: at(x, y),
  config: { kind: 'duration', amount: days, unit: 'days' },
});
const definition = (key: string) => ({
  schemaVersion: 1,
  key,
  name: `Canvas editing ${key}`,
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', position: at(0, 0), config: {} },
    wait('waitA', 'Wait 1 day', 1, 0, 170),
    wait('waitB', 'Wait 2 days', 2, 420, 170),
    { id: 'end', type: 'end', label: 'End', position: at(0, 360), config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'waitA' },
    { id: 'e2', source: 'waitA', target: 'end' },
  ],
});

const node = (page: Page, id: string) => page.getByTestId(`rf__node-${id}`);
const edge = (page: Page, from: string, to: string) => page.locator(`[aria-label="Edge from ${from} to ${to}"]`);
const selected = (page: Page) =>
  page.locator('.react-flow__node.selected').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')));

async function open(page: Page, key: string) {
  await page.goto(`/playbooks/${key}`);
  await page.locator('.editor[data-opened]').waitFor();
}

describe('editing on the canvas', () => {
  it('selects several steps, copies and pastes them, undoes and redoes, and reconnects an outcome', async () => {
    for (const key of ['canvas-editing', 'canvas-pasted-into'])
      expect((await api('POST', '/api/playbooks', { definition: definition(key) })).status).toBe(201);
    const page = await openPage(browser, '/playbooks');
    await open(page, 'canvas-editing');

    // Ctrl+click adds to the selection; Ctrl+A selects every step.
    await node(page, 'waitA').click();
    await node(page, 'end').click({ modifiers: ['Control'] });
    await expect.poll(() => selected(page)).toEqual(['waitA', 'end']);
    await page.keyboard.press('Control+a');
    await expect.poll(async () => (await selected(page)).sort()).toEqual(['end', 'start', 'waitA', 'waitB']);
    // A click on the empty canvas clears it; Ctrl+click on a selected step takes it out.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => selected(page)).toEqual([]);
    await node(page, 'waitA').click();
    await node(page, 'waitB').click({ modifiers: ['Control'] });
    await node(page, 'waitB').click({ modifiers: ['Control'] });
    await node(page, 'end').click({ modifiers: ['Control'] });
    await expect.poll(() => selected(page)).toEqual(['waitA', 'end']);

    // Copied through the system clipboard, pasted as fresh steps with the connection between them, selected.
    await page.keyboard.press('Control+c');
    await expect.poll(() => page.getByText('Copied 2 steps.').isVisible()).toBe(true);
    await page.keyboard.press('Control+v');
    await node(page, 'waitA1').waitFor();
    await node(page, 'end1').waitFor();
    expect(await edge(page, 'waitA1', 'end1').count()).toBe(1);
    expect(await selected(page)).toEqual(['waitA1', 'end1']);
    expect(await node(page, 'waitA1').textContent()).toContain('Wait 1 day');

    // Undo takes the paste back as one step; redo brings it again (keyboard and toolbar alike).
    await page.keyboard.press('Control+z');
    await expect.poll(() => node(page, 'waitA1').count()).toBe(0);
    expect(await node(page, 'end1').count()).toBe(0);
    await page.getByRole('button', { name: 'Redo' }).click();
    await node(page, 'waitA1').waitFor();
    await page.keyboard.press('Control+Shift+z');
    expect(await page.getByRole('button', { name: 'Redo' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => node(page, 'waitA1').count()).toBe(0);

    // Reconnect: the end of waitA's connection dragged onto waitB; the connection keeps its id.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await dragBetween(
      page,
      '[data-testid="rf__edge-e2"] .react-flow__edgeupdater-target',
      '.react-flow__handle.target[data-nodeid="waitB"]',
    );
    await expect
      .poll(() => page.getByTestId('rf__edge-e2').getAttribute('aria-label'))
      .toBe('Edge from waitA to waitB');
    expect(await edge(page, 'waitA', 'end').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => edge(page, 'waitA', 'end').count()).toBe(1);
    await page.keyboard.press('Control+y');
    await expect.poll(() => edge(page, 'waitA', 'waitB').count()).toBe(1);

    // Saved (Ctrl+S): the server has the reconnected outcome and no pasted steps.
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.locator('.toolbar .status').textContent()).toMatch(/· saved$/);
    const saved = (await api('GET', '/api/playbooks/canvas-editing')).body.playbook.draft;
    expect(saved.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'waitA', 'waitB', 'end']);
    expect(saved.edges).toEqual([
      { id: 'e1', source: 'start', target: 'waitA' },
      { id: 'e2', source: 'waitA', sourceHandle: 'out', target: 'waitB' },
    ]);

    // The clipboard outlives the page: the copied steps paste into another playbook.
    await open(page, 'canvas-pasted-into');
    await node(page, 'waitB').click();
    await page.keyboard.press('Control+v');
    await node(page, 'waitA1').waitFor();
    expect(await edge(page, 'waitA1', 'end1').count()).toBe(1);
    expect(await page.locator('.toolbar .status').textContent()).toMatch(/unsaved changes$/);
    expect(await pageErrors(page)).toEqual([]);
  });
});
