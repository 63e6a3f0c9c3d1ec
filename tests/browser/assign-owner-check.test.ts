import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, openPage, pageErrors } from './browser.js';
import { createPerson, openPageAs } from './ops-helpers.js';

// An assignOwner step is checked against the install's CSMs and teams as it is drawn, not only when saved: the
// editor compiles with the server's own context (GET /api/compile-context), people included.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const at = (x: number, y: number) => ({ x, y });
const key = 'owner-check-live';
const definition = {
  schemaVersion: 1,
  key,
  name: 'Owner check, live',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', position: at(0, 0), config: {} },
    {
      id: 'owner',
      type: 'assignOwner',
      label: 'Give it a CSM',
      position: at(0, 170),
      config: { strategy: 'bySegment', segments: [], fallback: { kind: 'csm', email: 'nobody@owners.example' } },
    },
    { id: 'done', type: 'end', label: 'Done', position: at(0, 340), config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'owner' },
    { id: 'e2', source: 'owner', target: 'done' },
  ],
};

const panel = (page: Page) => page.getByTestId('config-panel');
const problemsTab = (page: Page) => page.getByRole('tab', { name: /Problems/ }).textContent();
const stepProblem = (page: Page) => page.getByTestId('node-error-owner');
/** The addresses an email field offers (its datalist). */
const offered = (page: Page, label: string) =>
  panel(page)
    .getByLabel(label, { exact: true })
    .evaluate((input) => [...((input as HTMLInputElement).list?.options ?? [])].map((o) => o.value));

describe('an assignOwner step in the editor', () => {
  it('says on the step, before saving, that its CSM or team is not there, and stops when a real one is named', async () => {
    const lead = await createPerson('lena@owners.example', 'manager', { name: 'Lena Ortiz' });
    await createPerson('ana@owners.example', 'csm', { name: 'Ana Ruiz', managerId: lead.id });
    await createPerson('max@owners.example', 'manager', { name: 'Max Weber' });
    expect((await api('POST', '/api/playbooks', { definition })).status).toBe(201);

    const page = await openPage(browser, '/playbooks');
    await page.goto(`/playbooks/${key}`);
    await page.locator('.editor[data-opened]').waitFor();
    await expect
      .poll(() => stepProblem(page).textContent())
      .toContain('nobody@owners.example, who is not an active CSM of this install');
    await expect.poll(() => problemsTab(page)).toBe('Problems (1)');

    // Someone who is there: the problem goes as the email is typed, with nothing saved yet.
    await page.getByTestId('rf__node-owner').click();
    expect(await panel(page).getByRole('list', { name: 'Problems of this step' }).textContent()).toContain(
      'nobody@owners.example',
    );
    // The field offers the install's people to pick from; typing one of them is the same.
    expect(await offered(page, 'Email')).toEqual(
      expect.arrayContaining(['ana@owners.example', 'lena@owners.example', 'max@owners.example']),
    );
    await panel(page).getByLabel('Email', { exact: true }).fill('ana@owners.example');
    await expect.poll(() => stepProblem(page).count()).toBe(0);
    await expect.poll(() => problemsTab(page)).toBe('Problems (0)');

    // A team: one nobody leads is refused, so is one with nobody in it; Lena's (Ana) is fine.
    await panel(page).getByLabel('Kind', { exact: true }).selectOption('team');
    const teams = await offered(page, 'Team');
    expect(teams).toEqual(expect.arrayContaining(['lena@owners.example', 'max@owners.example']));
    expect(teams).not.toContain('ana@owners.example');
    await panel(page).getByLabel('Team', { exact: true }).fill('ana@owners.example');
    await expect.poll(() => stepProblem(page).textContent()).toContain('no active manager has that email');
    await panel(page).getByLabel('Team', { exact: true }).fill('max@owners.example');
    await expect.poll(() => stepProblem(page).textContent()).toContain('which has no active CSMs');
    await panel(page).getByLabel('Team', { exact: true }).fill('lena@owners.example');
    await expect.poll(() => stepProblem(page).count()).toBe(0);
    await expect.poll(() => problemsTab(page)).toBe('Problems (0)');

    // None of it was saved: the server still sees the stored draft's unknown CSM, the same problem.
    const stored = await api('GET', `/api/playbooks/${key}`);
    expect((stored.body.issues as { nodeId: string; code: string }[]).map((i) => [i.nodeId, i.code])).toEqual([
      ['owner', 'unknown_csm'],
    ]);
    expect(await pageErrors(page)).toEqual([]);
  });

  it('opens for a viewer, who is not offered the install’s people (only designers read them)', async () => {
    const viewer = await createPerson('vera@owners.example', 'viewer');
    const page = await openPageAs(browser, `/playbooks/${key}`, viewer);
    await page.locator('.editor[data-opened]').waitFor();
    await page.getByTestId('rf__node-owner').click();
    await expect
      .poll(() => panel(page).getByLabel('Email', { exact: true }).inputValue())
      .toBe('nobody@owners.example');
    expect(await offered(page, 'Email')).toEqual([]);
    expect(await pageErrors(page)).toEqual([]);
  });
});
