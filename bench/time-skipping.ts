import { TestWorkflowEnvironment } from '@temporalio/testing';
import { provisionedPaths } from '../server/temporal/cli-path.js';
import { installTemporalRuntime } from '../server/temporal/runtime.js';
import { benchLogger } from './stack-config.js';

/**
 * Starts Temporal's time-skipping test server (Java, provisioned by `bash scripts/provision.sh test-server`). The
 * SDK gives the JVM only a few seconds to open its port, which a loaded 2-core machine can miss once: retried.
 */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime(benchLogger());
  const path = process.env.TEMPORAL_TEST_SERVER_PATH || provisionedPaths().TEMPORAL_TEST_SERVER_PATH;
  if (!path)
    throw new Error('the time-skipping test server is not provisioned (run: bash scripts/provision.sh test-server)');
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`the time-skipping test server at ${path} did not start: ${String(lastError)}`);
}
