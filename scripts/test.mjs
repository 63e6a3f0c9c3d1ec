#!/usr/bin/env node
// `npm test [lane…]`: provisions what the lanes need (cached), then runs each lane in turn and ends with one
// summary: a line per lane, and which part was unavailable when a lane could not start.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

// What each lane is: README "Tests". `needs` are the parts scripts/provision.sh provides before the lane runs.
/** @type {Record<string, { needs: string[] }>} */
const lanes = {
  static: { needs: [] },
  unit: { needs: [] },
  component: { needs: [] },
  workflow: { needs: ['test-server'] },
  integration: { needs: ['temporal'] },
  postgres: { needs: ['postgres'] },
  browser: { needs: ['temporal', 'chromium'] },
  faults: { needs: ['temporal', 'postgres'] },
  fuzz: { needs: ['temporal', 'schemathesis'] },
};
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
for (const lane of chosen) {
  if (!(lane in lanes)) {
    console.error(`unknown lane "${lane}"; lanes: ${Object.keys(lanes).join(', ')}`);
    process.exit(2);
  }
}
const run = chosen.length ? chosen : Object.keys(lanes);
/** @param {string} lane */
const needsOf = (lane) => lanes[lane]?.needs ?? [];

/** @param {number} t0 */
const seconds = (t0) => ((Date.now() - t0) / 1000).toFixed(1);
const unavailable = new Map();
for (const part of new Set(run.flatMap(needsOf))) {
  const t0 = Date.now();
  const result = spawnSync('bash', ['scripts/provision.sh', part], { stdio: 'inherit' });
  if (result.status !== 0) unavailable.set(part, `provisioning ${part} failed (see above)`);
  else console.log(`[test] ${part} provisioned in ${seconds(t0)} s`);
}

const reportDir = path.join('.data', 'test', 'reports');
mkdirSync(reportDir, { recursive: true });
const summary = [];
/** @type {string[]} Each failed test, named with the start of its error, repeated after the summary. */
const failures = [];
for (const lane of run) {
  const missing = needsOf(lane).filter((part) => unavailable.has(part));
  if (missing.length) {
    summary.push({
      lane,
      passed: 0,
      failed: 0,
      skipped: 0,
      seconds: '0.0',
      note: `not run: ${missing.map((m) => unavailable.get(m)).join('; ')}`,
    });
    continue;
  }
  if (lane === 'static') {
    summary.push(staticChecks());
    continue;
  }
  // Written under this run's own name (another `npm test` in the same tree may be running), then kept as <lane>.json.
  const report = path.join(reportDir, `${lane}.${process.pid}.json`);
  rmSync(report, { force: true });
  const t0 = Date.now();
  console.log(`\n[test] ── ${lane} lane ──`);
  const result = spawnSync(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--project',
      lane,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...extra,
    ],
    { stdio: 'inherit' },
  );
  const counts = { passed: 0, failed: 0, skipped: 0 };
  let note = '';
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    counts.passed = json.numPassedTests;
    counts.failed = json.numFailedTests;
    counts.skipped = json.numPendingTests + json.numTodoTests;
    // A global setup that throws (a server that did not start) leaves no test failed: say so.
    if (result.status !== 0 && counts.failed === 0) note = 'the lane could not start: see its error above';
    if (json.numTotalTests === 0 && !note) note = 'no tests found';
    failures.push(...failedTests(lane, json));
    renameSync(report, path.join(reportDir, `${lane}.json`));
  } else {
    note = `vitest exited with ${result.status} before reporting`;
  }
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1;
  summary.push({ lane, ...counts, seconds: seconds(t0), note });
}

/**
 * The failed tests of a vitest JSON report, each as `lane › file › test: first lines of the error`. They go after the
 * summary, at the very end of the output: a CI log shown by its tail then still says what failed and why.
 * @param {string} lane
 * @param {{ testResults?: { name: string; message?: string; assertionResults?: { status: string; fullName: string; failureMessages?: string[] }[] }[] }} json
 */
function failedTests(lane, json) {
  const short = (/** @type {string} */ text) =>
    text
      .split('\n')
      .filter((line) => !/^\s*at /.test(line))
      .slice(0, 4)
      .join(' ⏎ ')
      .replace(/\s+/g, ' ')
      .slice(0, 600);
  return (json.testResults ?? []).flatMap((file) => {
    const where = `${lane} › ${path.relative(process.cwd(), file.name)}`;
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    // A file that failed outside any test (a hook, an import) has its reason on the file.
    if (failed.length === 0 && file.message) return [`${where}: ${short(file.message)}`];
    return failed.map((t) => `${where} › ${t.fullName}: ${short(t.failureMessages?.[0] ?? 'no message')}`);
  });
}

// The static lane: the type checkers, the linter (with the workflow determinism fence and the layer fences) and the
// formatter, over the whole tree — the .mjs scripts included (scripts/tsconfig.json checks them as JavaScript).
function staticChecks() {
  const t0 = Date.now();
  console.log('\n[test] ── static lane: tsc, eslint, prettier ──');
  /** @type {[string, string[]][]} */
  const checks = [
    ['typecheck', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']],
    ['typecheck scripts', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'scripts/tsconfig.json']],
    ['typecheck editor', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'editor/tsconfig.json']],
    ['lint', ['node_modules/eslint/bin/eslint.js', '.']],
    ['format', ['node_modules/prettier/bin/prettier.cjs', '--check', '.', '--log-level', 'warn']],
  ];
  const failedChecks = checks.filter(([name, args]) => {
    const started = Date.now();
    const ok = spawnSync(process.execPath, args, { stdio: 'inherit' }).status === 0;
    console.log(`[test] ${name}: ${ok ? 'ok' : 'FAILED'} (${seconds(started)} s)`);
    return !ok;
  });
  return {
    lane: 'static',
    passed: checks.length - failedChecks.length,
    failed: failedChecks.length,
    skipped: 0,
    seconds: seconds(t0),
    note: failedChecks.length ? `failed: ${failedChecks.map(([name]) => name).join(', ')}` : '',
  };
}

const total = summary.reduce(
  (acc, s) => ({ passed: acc.passed + s.passed, failed: acc.failed + s.failed, skipped: acc.skipped + s.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\nStayflow test summary');
for (const s of summary) {
  const status = s.failed > 0 || s.note.startsWith('not run') ? 'FAIL' : 'ok  ';
  console.log(
    `  ${status} ${s.lane.padEnd(12)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed ${String(s.skipped).padStart(3)} skipped  ${s.seconds.padStart(6)} s${s.note ? `  — ${s.note}` : ''}`,
  );
}
const notRun = summary.filter((s) => s.note.startsWith('not run')).length;
if (failures.length > 0) console.log(`\nFailed tests:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}`);
console.log(`\n${total.passed} passed, ${total.failed + notRun} failed, ${total.skipped} skipped`);
process.exit(total.failed + notRun > 0 ? 1 : 0);
