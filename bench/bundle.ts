import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

// Bundling (webpack) takes seconds on this machine: done once per bench run and written to a file, which both the
// in-process workers and the separate worker process of the sleeping-runs bench load.
const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
let bundled: Promise<string> | undefined;

const quiet = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(`[bundler] ${message}`),
  error: (message: string) => console.error(`[bundler] ${message}`),
  log: () => undefined,
};

/** The path of the bench's workflow bundle (the product's workflows and the hand-written baseline). */
export function benchBundlePath(): Promise<string> {
  bundled ??= (async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
    const dir = path.resolve('.data', 'bench');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `workflow-bundle-${process.pid}.js`);
    await writeFile(file, code);
    // Whatever ends the bench (a finished run, a failed bench, a script run on its own), the file goes with it.
    process.once('exit', () => rmSync(file, { force: true }));
    return file;
  })();
  return bundled;
}
