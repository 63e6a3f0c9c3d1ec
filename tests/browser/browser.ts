import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { provisionedPaths } from '../../server/temporal/cli-path.js';
import '../support/provided.js';
import './provided.js';

// Chromium for the browser lane (Debian's, provisioned by scripts/provision.sh chromium), one page per test,
// the axe-core check and the screenshots of each screen.

const SCREENSHOTS = path.join('.data', 'test', 'reports', 'screenshots');
const AXE = path.join('node_modules', 'axe-core', 'axe.min.js');
let axeSource: string | undefined;

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || provisionedPaths().CHROMIUM_PATH || '/usr/bin/chromium';
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

/** A fresh page on the lane's stack, signed in through the sign-in page as the lane's admin. */
export async function openPage(browser: Browser, route: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, baseURL: inject('apiUrl') });
  const page = await context.newPage();
  await page.goto(route);
  const admin = inject('browserAdmin');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** A call to the lane's API with the admin token, as an integration would make it: status and parsed JSON. */
export async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${inject('browserToken')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Uncaught errors of the page's scripts since it opened, as messages (a test expects none). */
export async function pageErrors(page: Page): Promise<string[]> {
  return (await page.pageErrors()).map((error) => error.message);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the screen as it is and fails on serious or critical violations, naming each. */
export async function expectAccessible(page: Page, screen: string) {
  // Evaluated through the DevTools protocol rather than a <script> tag: the app's Content-Security-Policy
  // (script-src 'self') rightly refuses inline scripts, and the test keeps that policy on.
  axeSource ??= readFileSync(AXE, 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
  expect(serious, `axe-core on the ${screen} screen`).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Drags from one element to another with the mouse, in steps, as a person does (React Flow connections). */
export async function dragBetween(page: Page, from: string, to: string) {
  const a = await page.locator(from).boundingBox();
  const b = await page.locator(to).boundingBox();
  if (!a || !b) throw new Error(`cannot drag ${from} → ${to}: not on screen`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}
