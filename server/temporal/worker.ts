import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { PlaybookActivities, StayflowActivities } from '../../engine/activity-contracts.js';

// This file runs as TypeScript from source (tsx: `npm start`, tests) or as JavaScript built into dist/ by
// `npm run build`; the workflows beside it are .ts or .js the same way.
const built = import.meta.url.endsWith('.js');

export const workflowsPath = fileURLToPath(
  new URL(`../../engine/workflows/index.${built ? 'js' : 'ts'}`, import.meta.url),
);

/**
 * Where `npm run build` writes the workflow bundle (dist/workflow-bundle.js), so a production worker starts without
 * webpack. Only built code has one: from source the worker bundles what it runs, so an edit never meets a stale
 * bundle.
 */
export const prebuiltBundlePath = built
  ? fileURLToPath(new URL('../../workflow-bundle.js', import.meta.url))
  : undefined;

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
    ...workflowSource(opts.workflowBundle),
    // Explicit, because the default scales with memory and a long-lived playbook run is cheap to re-fetch.
    maxCachedWorkflows: opts.maxCachedWorkflows,
  });
}

/** A bundle the caller made (tests), else the prebuilt one, else bundle at start (from source, or a partial build). */
function workflowSource(bundle: WorkflowBundle | undefined) {
  if (bundle) return { workflowBundle: bundle };
  if (prebuiltBundlePath && existsSync(prebuiltBundlePath)) return { workflowBundle: { codePath: prebuiltBundlePath } };
  return { workflowsPath };
}

/** Where createWorker takes the workflow code from, for the start-up log: a deploy shows whether it bundled at boot. */
export function workflowCodeOrigin(bundle?: WorkflowBundle): string {
  const source = workflowSource(bundle);
  if ('workflowsPath' in source) return `bundled at start from ${source.workflowsPath}`;
  return 'codePath' in source.workflowBundle
    ? `prebuilt ${source.workflowBundle.codePath}`
    : 'bundle given by the caller';
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(`[bundler] ${message}`),
  error: (message: string) => console.error(`[bundler] ${message}`),
  log: () => undefined,
};
