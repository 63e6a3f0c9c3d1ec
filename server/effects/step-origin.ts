// Where a CSM task or an approval came from: the run, its step, the account and the playbook version. Both tables
// carry the same columns, written when the step asks and read back for the inbox and the task list.

export interface StepOrigin {
  workflowId: string;
  runId: string;
  stepKey: string;
  nodeId: string;
  accountId: string | null;
  accountName: string | null;
  playbook: { key: string; name: string; version: number } | null;
}

interface StepOriginRow {
  workflow_id: string;
  run_id: string;
  node_id: string;
  account_id: string | null;
  account_name: string | null;
  playbook_key: string | null;
  playbook_name: string | null;
  playbook_version: number | null;
}

/** The origin's columns, for an insert. */
export function stepOriginColumns(origin: StepOrigin) {
  return {
    workflow_id: origin.workflowId,
    run_id: origin.runId,
    step_key: origin.stepKey,
    node_id: origin.nodeId,
    account_id: origin.accountId,
    account_name: origin.accountName,
    playbook_key: origin.playbook?.key ?? null,
    playbook_name: origin.playbook?.name ?? null,
    playbook_version: origin.playbook?.version ?? null,
  };
}

/** The playbook and the run as the API shows them, with the run's link. */
export function stepOriginOf(row: StepOriginRow) {
  return {
    playbook:
      row.playbook_key === null
        ? null
        : { key: row.playbook_key, name: row.playbook_name ?? row.playbook_key, version: row.playbook_version ?? 0 },
    run: {
      workflowId: row.workflow_id,
      runId: row.run_id,
      nodeId: row.node_id,
      url: `/api/runs/${encodeURIComponent(row.workflow_id)}`,
    },
  };
}
