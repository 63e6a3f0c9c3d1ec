import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trigger } from '../../engine/playbook/triggers.js';
import { describeTrigger } from '../../engine/triggers/describe.js';
import { launchBrowser, openPage, pageErrors } from './browser.js';

// The shipped playbooks carry the positions the editor's own layout gives them, so each opens as saved: no card
// covers another (which would make the editor lay it out again and mark the draft unsaved).

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const SEEDS = path.join('playbooks', 'seed');
const seeds = readdirSync(SEEDS)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(path.join(SEEDS, name), 'utf8')) as { key: string; triggers: Trigger[] });
const keys = seeds.map((seed) => seed.key);

describe('the shipped playbooks', () => {
  it('open laid out as saved, with nothing to save', async () => {
    expect(keys.length).toBeGreaterThan(5);
    const page = await openPage(browser, '/playbooks');
    // The list says what enrolls each one (issue 16): onboarding by subscription.created, renewals by the sweep.
    const onboarding = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Onboarding, day 0–30' }) });
    await expect.poll(() => onboarding.textContent()).toContain('event subscription.created');
    const enrolledBy: Record<string, string> = {};
    for (const seed of seeds) {
      const row = page.getByRole('row').filter({ has: page.getByText(seed.key, { exact: true }) });
      enrolledBy[seed.key] = (await row.getByRole('cell').nth(2).textContent()) ?? '';
    }
    expect(enrolledBy).toEqual(
      Object.fromEntries(seeds.map((seed) => [seed.key, seed.triggers.map(describeTrigger).join('; ')])),
    );
    expect(enrolledBy['renewal-cadence']).toBe('the daily sweep 120 days before renewalDate; by hand');
    const opened: Record<string, string | null> = {};
    for (const key of keys) {
      await page.goto(`/playbooks/${key}`);
      const editor = page.locator('.editor[data-opened]');
      await editor.waitFor();
      const status = (await page.locator('.toolbar .status').textContent()) ?? '';
      opened[key] = `${await editor.getAttribute('data-opened')}, ${status.endsWith('· saved') ? 'saved' : status}`;
    }
    expect(opened).toEqual(Object.fromEntries(keys.map((key) => [key, 'as-saved, saved'])));
    expect(await pageErrors(page)).toEqual([]);
  });
});
