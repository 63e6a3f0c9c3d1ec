import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { MigrationActivities } from '../activity-contracts.js';
import {
  migrationProgressQuery,
  type MigrateRunResult,
  type MigrateRunsInput,
  type MigrateRunsProgress,
} from './run-migration.js';

const { migrateOneRun, recordMigration } = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

/** Runs asked at once: enough to move thousands in minutes, few enough not to crowd the worker's slots. */
const IN_FLIGHT = 8;

/**
 * Moves a list of runs to a newer version, durably: the list is this workflow's input, so a crash of the server
 * that asked does not leave half the runs unasked. Each run is asked through its own validated update (it refuses
 * what it cannot take) and moves at its next step boundary; the outcome of each is recorded in the audit log.
 */
export async function migrateRunsWorkflow(input: MigrateRunsInput): Promise<MigrateRunsProgress> {
  const progress: MigrateRunsProgress = { total: input.workflowIds.length, results: [] };
  setHandler(migrationProgressQuery, () => progress);
  const queue = [...input.workflowIds];
  const worker = async () => {
    for (let workflowId = queue.shift(); workflowId !== undefined; workflowId = queue.shift()) {
      const result: MigrateRunResult = await migrateOneRun({ ...input, workflowId });
      progress.results.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, worker));
  await recordMigration({ ...input, results: progress.results });
  return progress;
}
