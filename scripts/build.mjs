#!/usr/bin/env node
// `npm run build`: the production build, as the Dockerfile's build stage runs it.
//   1. tsc -p tsconfig.build.json — type-checks engine/, activities/, server/ and cli/, and emits them as ESM with
//      source maps into dist/, in the same folders (dist/server/main.js is the server's entry point).
//   2. The Temporal workflow bundle, made here once with the worker's own bundleWorkflows() and written where the
//      built worker looks for it (dist/workflow-bundle.js): a production worker then starts without webpack.
//   3. The web app (vite → editor/dist, which the API serves), when there is one.
// Each step stops the build on failure, so a type error never reaches an image.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

/**
 * @param {string} name
 * @param {() => unknown} fn
 */
async function step(name, fn) {
  const t0 = performance.now();
  await fn();
  console.log(`[build] ${name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * @param {string} script under node_modules/
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function run(script, args, env = process.env) {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', script), ...args], {
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) {
    console.error(`[build] failed: ${script} ${args.join(' ')}`);
    process.exit(1);
  }
}

const t0 = performance.now();
await step('compile (tsc → dist/)', () => run('typescript/bin/tsc', ['-p', 'tsconfig.build.json']));

await step('workflow bundle', async () => {
  // The built module, so the bundle is made from the JavaScript that ships and lands where that module reads it.
  const { bundleWorkflows, prebuiltBundlePath } = await import(
    pathToFileURL(path.join(root, 'dist/server/temporal/worker.js')).href
  );
  const { code } = await bundleWorkflows();
  // Rename into place, so a worker starting meanwhile never reads half a bundle.
  writeFileSync(`${prebuiltBundlePath}.tmp`, code);
  renameSync(`${prebuiltBundlePath}.tmp`, prebuiltBundlePath);
  console.log(`[build] ${path.relative(root, prebuiltBundlePath)}: ${(code.length / 1024).toFixed(0)} KiB`);
});

if (existsSync('editor/vite.config.ts')) {
  await step('web app (vite → editor/dist/)', () =>
    // Production whatever the caller's NODE_ENV (vitest sets `test`, which would bundle React's development build).
    run('vite/bin/vite.js', ['build', '--config', 'editor/vite.config.ts', '--logLevel', 'warn'], {
      ...process.env,
      NODE_ENV: 'production',
    }),
  );
}
console.log(`[build] done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
