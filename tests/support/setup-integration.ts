import type { TestProject } from 'vitest/node';
import { startStack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { testConfig, testLogger } from './test-config.js';
import './provided.js';

// The integration lane runs against the real thing, started once: a Temporal dev server, the worker, the API,
// PGlite and the in-process SMTP server — the same startStack() that `npm start` uses.
export default async function setup(project: TestProject) {
  const cliPath = temporalCliPath();
  if (!cliPath) {
    throw new Error('integration lane: the temporal CLI is not provisioned (run: bash scripts/provision.sh temporal)');
  }
  const config = await testConfig();
  const stack = await startStack(config, { logger: testLogger(), temporalCliPath: cliPath }).catch((error: Error) => {
    throw new Error(`integration lane: the local stack did not start: ${error.message}`);
  });
  project.provide('apiUrl', stack.apiUrl!);
  project.provide('taskQueue', config.TEMPORAL_TASK_QUEUE);
  return () => stack.close();
}
