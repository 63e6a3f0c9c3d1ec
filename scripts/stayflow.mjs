#!/usr/bin/env node
// `npx stayflow …`: runs the CLI as built JavaScript (dist/cli/main.js), from any working directory.
//
// dist/ is what `npm run build` emits (tsc). So that a fresh clone, or a clone with edited sources, needs no build
// step first, this launcher re-transpiles with esbuild the TypeScript files under cli/, engine/ and server/ (what the
// CLI imports) whose JavaScript is missing or older than the source: a few milliseconds of stat calls when nothing
// changed, well under a second for a full transpile. No type check here (that is `npm run build` and the static
// lane); the files land where tsc puts them, so both builds fill the one dist/. The CLI then runs in this process:
// a second node process would double the start-up time that `stayflow --help` is about.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'cli', 'main.js');
const SOURCE_DIRS = ['cli', 'engine', 'server'];

/** Sources whose built file is missing or older. None when the sources are absent (an image ships dist/ only). */
function staleSources() {
  const stale = [];
  for (const dir of SOURCE_DIRS) {
    let names;
    try {
      names = readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const source = path.join(root, dir, name);
      const built = statSync(path.join(dist, dir, name.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
      if (!built || statSync(source).mtimeMs > built.mtimeMs) stale.push(source);
    }
  }
  return stale;
}

/**
 * Writes the JavaScript of `files` into dist/; throws with esbuild's messages when a file does not parse.
 * @param {typeof import('esbuild')} esbuild
 * @param {string[]} files
 */
async function transpile(esbuild, files) {
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: files,
      outbase: root,
      outdir: dist,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    const messages = /** @type {{ errors?: import('esbuild').Message[] }} */ (error).errors ?? [];
    const where = (/** @type {import('esbuild').Message} */ m) =>
      m.location ? `${m.location.file}:${m.location.line}: ` : '';
    throw new Error(messages.length ? messages.map((m) => `${where(m)}${m.text}`).join('\n') : String(error));
  }
  for (const file of result.outputFiles) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    // Rename into place: another `stayflow` starting meanwhile reads the old file or the new one, never half of one.
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

const stale = staleSources();
if (stale.length > 0) {
  const esbuild = await import('esbuild').catch(() => undefined);
  if (esbuild) {
    await transpile(esbuild, stale).catch((error) => {
      console.error(`stayflow: cannot build the CLI:\n${error.message}`);
      process.exit(1);
    });
  } else if (statSync(entry, { throwIfNoEntry: false })) {
    // An install without dev dependencies next to edited sources: the last build is all there is to run.
    console.error('stayflow: esbuild is not installed, so the changed sources are not rebuilt (npm run build)');
  } else {
    console.error('stayflow: the CLI is not built and esbuild is not installed: run `npm install`, or `npm run build`');
    process.exit(1);
  }
}
await import(pathToFileURL(entry).href);
