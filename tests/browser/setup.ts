import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { startStack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { testConfig, testLogger } from '../support/test-config.js';
import './provided.js';

// The browser lane: the editor built (when stale) before the stack starts, because the API serves editor/dist
// only if it exists when the app is created; then the real stack (Temporal dev server, worker, API, PGlite, SMTP)
// with a first admin to sign in as in the browser, and an admin token for the tests' own API calls.
export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, ['scripts/editor-build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('browser lane: the editor did not build (see above)');
  const cliPath = temporalCliPath();
  if (!cliPath)
    throw new Error('browser lane: the temporal CLI is not provisioned (bash scripts/provision.sh temporal)');
  const admin = { email: 'ops-lead@stayflow.test', password: randomBytes(12).toString('hex') };
  const token = randomBytes(32).toString('hex');
  const config = await testConfig({
    STAYFLOW_ADMIN_EMAIL: admin.email,
    STAYFLOW_ADMIN_PASSWORD: admin.password,
    STAYFLOW_BOOTSTRAP_TOKEN: token,
  });
  const stack = await startStack(config, { logger: testLogger(), temporalCliPath: cliPath }).catch((error: Error) => {
    throw new Error(`browser lane: the local stack did not start: ${error.message}`);
  });
  project.provide('apiUrl', stack.apiUrl!);
  project.provide('browserAdmin', admin);
  project.provide('browserToken', token);
  return () => stack.close();
}
