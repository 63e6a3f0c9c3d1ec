import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CompiledPlaybook } from '../playbook/ir.js';
import type { NodeMap } from '../playbook/migration.js';

// Messages for moving running accounts to a newer version of their playbook (see engine/playbook/migration.ts).

/** Asks one run to continue in `playbook` (the newer version) at its next step boundary. */
export interface MigrateRunRequest {
  migrationId: string;
  playbook: CompiledPlaybook;
  nodeMap: NodeMap;
  requestedBy: string;
}

/** The run took the request: it stands at `nodeId` of `fromVersion` and moves when that step ends. */
export interface MigrateRunAnswer {
  fromVersion: number;
  toVersion: number;
  nodeId: string;
}

/** Refused (by the run's validator) when the run is ending, already moving, or a step it may reach is unmapped. */
export const migrateRunUpdate = defineUpdate<MigrateRunAnswer, [MigrateRunRequest]>('migrateRun');

/** The batch: which runs to move, the newer version, the mapping, and who asked (for the audit log). */
export interface MigrateRunsInput {
  migrationId: string;
  playbookKey: string;
  fromVersion: number;
  toVersion: number;
  workflowIds: string[];
  nodeMap: NodeMap;
  requestedBy: string;
}

export interface MigrateRunResult {
  workflowId: string;
  outcome: 'moving' | 'refused' | 'ended';
  /** Where it stood (moving), or why it was not moved. */
  detail: string;
}

export interface MigrateRunsProgress {
  total: number;
  results: MigrateRunResult[];
}
export const migrationProgressQuery = defineQuery<MigrateRunsProgress>('migrationProgress');
