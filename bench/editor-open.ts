// `npx tsx bench/editor-open.ts`: the editor opening a 500-step playbook in Chromium against the real stack,
// as ratios of the shipped onboarding playbook (26 steps) opened the same way in the same run. Prints the
// figures docs/performance.md reports. Not a test: nothing here fails a build.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chromium, type Page } from 'playwright-core';
import { startStack } from '../server/stack.js';
import { provisionedPaths, temporalCliPath } from '../server/temporal/cli-path.js';
import { benchConfig, benchLogger } from './stack-config.js';
import { largePlaybook } from './editor-playbook.js';
import { median } from './measure.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STEPS = 500;

if (spawnSync(process.execPath, ['scripts/editor-build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);
const cli = temporalCliPath();
if (!cli) throw new Error('the temporal CLI is not provisioned (bash scripts/provision.sh temporal)');
const admin = { email: 'bench@stayflow.test', password: randomBytes(12).toString('hex') };
const token = randomBytes(32).toString('hex');
const config = await benchConfig({
  STAYFLOW_ADMIN_EMAIL: admin.email,
  STAYFLOW_ADMIN_PASSWORD: admin.password,
  STAYFLOW_BOOTSTRAP_TOKEN: token,
});
const stack = await startStack(config, { logger: benchLogger(), temporalCliPath: cli });
const base = stack.apiUrl!;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || provisionedPaths().CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
});

interface Opening {
  /** Navigation start → the first step cards are on the canvas and respond. */
  interactive: number;
  /** Navigation start → the engine's compiler has checked the whole draft (the Problems count is current). */
  validated: number;
  /** One step of dragging a card: the mouse moves, the card follows and the frame is painted. */
  dragStep: number;
  /** One step of panning the canvas. */
  panStep: number;
}

/** Milliseconds per mouse step of a drag from (x, y) by (dx, dy), each step awaited to its painted frame. */
async function perStep(page: Page, x: number, y: number, dx: number, dy: number, steps = 30) {
  await page.mouse.move(x, y);
  await page.mouse.down();
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x + (dx * i) / steps, y + (dy * i) / steps);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  const perMove = (performance.now() - t0) / steps;
  await page.mouse.up();
  return perMove;
}

// One signed-in browser context: every opening measured has the session cookie already, as a person's would.
const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
{
  const page = await context.newPage();
  await page.goto(`${base}/playbooks`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.close();
}

async function open(key: string): Promise<Opening> {
  const page = await context.newPage();
  await page.goto(`${base}/playbooks/${key}`);
  await page.waitForSelector('.react-flow__node .step-card');
  const interactive = await page.evaluate(() => performance.now());
  await page.waitForSelector('.editor[data-validation="current"]');
  const validated = await page.evaluate(() => performance.now());
  const card = (await page.locator('.react-flow__node').first().boundingBox())!;
  const dragStep = await perStep(page, card.x + 40, card.y + 20, 120, 60);
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const panStep = await perStep(page, pane.x + pane.width - 40, pane.y + 40, -200, 150);
  await page.close();
  return { interactive, validated, dragStep, panStep };
}

try {
  const key = `bench-${STEPS}-steps`;
  const created = await fetch(`${base}/api/playbooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ definition: largePlaybook(key, STEPS) }),
  });
  const answer = (await created.json()) as { issues: unknown[] };
  if (created.status !== 201 || answer.issues.length)
    throw new Error(`bench playbook not valid: ${JSON.stringify(answer)}`);

  await open('onboarding-30d'); // warm-up: the browser's caches and the JIT, for both playbooks alike
  const samples = { onboarding: [] as Opening[], large: [] as Opening[] };
  for (let i = 0; i < RUNS; i++) {
    samples.onboarding.push(await open('onboarding-30d'));
    samples.large.push(await open(key));
  }
  const m = (list: Opening[], k: keyof Opening) => median(list.map((o) => o[k]));
  console.log(
    `Editor, ${STEPS}-step playbook vs the shipped onboarding (26 steps); median of ${RUNS}, Chromium headless\n`,
  );
  console.log('| figure | onboarding (ms) | 500 steps (ms) | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [k, label] of [
    ['interactive', 'time to interactive (cards on the canvas)'],
    ['validated', 'time to validated (compiler done, problems shown)'],
    ['dragStep', 'one drag step of a card (to a painted frame)'],
    ['panStep', 'one pan step of the canvas (to a painted frame)'],
  ] as const) {
    const a = m(samples.onboarding, k);
    const b = m(samples.large, k);
    console.log(`| ${label} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
  }
} finally {
  await browser.close();
  await stack.close();
}
