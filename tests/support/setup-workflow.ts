import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflows } from '../../server/temporal/worker.js';
import { provisionedPaths } from '../../server/temporal/cli-path.js';
import './provided.js';

// Bundling the workflow code (webpack) takes seconds: do it once for the whole lane and share the file.
export default async function setup(project: TestProject) {
  const testServerPath = process.env.TEMPORAL_TEST_SERVER_PATH || provisionedPaths().TEMPORAL_TEST_SERVER_PATH;
  if (!testServerPath) {
    throw new Error(
      'workflow lane: the time-skipping test server is not provisioned (run: bash scripts/provision.sh test-server)',
    );
  }
  const bundle = await bundleWorkflows();
  const dir = path.resolve('.data', 'test');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `workflow-bundle-${process.pid}.js`);
  await writeFile(file, bundle.code);
  project.provide('workflowBundlePath', file);
  project.provide('testServerPath', testServerPath);
  return () => rm(file, { force: true });
}
