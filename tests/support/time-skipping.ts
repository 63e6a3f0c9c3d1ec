import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { installTemporalRuntime } from '../../server/temporal/runtime.js';
import { testLogger } from './test-config.js';
import './provided.js';

/**
 * Starts Temporal's time-skipping test server (the Java one from Maven Central, through the provisioned wrapper).
 * The SDK gives a server only a few seconds to open its port; on a loaded 2-core machine a JVM can miss that once,
 * so a failed start is retried before the lane reports the server as unavailable.
 */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime(testLogger());
  const path = inject('testServerPath');
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
  throw new Error(`workflow lane: the time-skipping test server at ${path} did not start: ${String(lastError)}`);
}

export const workflowBundle = () => ({ codePath: inject('workflowBundlePath') });
