import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { PlaybookActivities, StayflowActivities } from '../../engine/activity-contracts.js';

export const workflowsPath = fileURLToPath(new URL('../../engine/workflows/index.ts', import.meta.url));

/** Bundles the workflow code once (webpack); tests and the worker reuse the result instead of rebuilding. */
export function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: StayflowActivities & PlaybookActivities;
  maxCachedWorkflows: number;
  workflowBundle?: WorkflowBundle;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    // Explicit, because the default scales with memory and a long-lived playbook run is cheap to re-fetch.
    maxCachedWorkflows: opts.maxCachedWorkflows,
  });
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(`[bundler] ${message}`),
  error: (message: string) => console.error(`[bundler] ${message}`),
  log: () => undefined,
};
