import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export const historiesDir = path.resolve('tests', 'histories');

/**
 * With RECORD_HISTORIES=1, a test saves the history of a run it made, to be replayed against every later version
 * of the workflow code (tests/workflow/replay.test.ts). Re-record only when a change is meant to break replay —
 * and then the change needs patched() instead.
 */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(historiesDir, { recursive: true });
  // Proto-JSON, the format the Temporal CLI and Web UI export too.
  writeFileSync(path.join(historiesDir, `${name}.json`), historyToJSON(history));
}
