// Builds the editor (editor/ → editor/dist) when the build is missing or older than any of its sources.
// Used by `npm start` and the browser test lane; `npm run build` builds unconditionally.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'editor', 'dist', 'index.html');
// The app bundles the engine's pure modules, so an engine change makes the build stale too.
const sources = ['editor/src', 'editor/index.html', 'editor/vite.config.ts', 'engine', 'package-lock.json'];

function newestMtime(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((newest, name) => Math.max(newest, newestMtime(path.join(file, name))), stat.mtimeMs);
}

export function editorIsStale() {
  if (!existsSync(dist)) return true;
  const built = statSync(dist).mtimeMs;
  return sources.some((source) => newestMtime(path.join(root, source)) > built);
}

/** Runs `vite build` when needed; answers whether the editor is there to serve. */
export function ensureEditorBuilt({ log = console.log } = {}) {
  if (!existsSync(path.join(root, 'editor', 'index.html'))) return false;
  if (!editorIsStale()) return true;
  log('[editor] building the web app (vite build)…');
  const t0 = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'editor/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    // A caller's NODE_ENV (vitest sets `test`) would make Vite bundle React's development build.
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) {
    log('[editor] the build failed (see above); the API still starts, without the editor');
    return false;
  }
  log(`[editor] built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(ensureEditorBuilt() ? 0 : 1);
}
