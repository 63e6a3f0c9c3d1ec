// A playbook run's workflow id is `playbook:<key>:account:<accountId>` (plus `:<enrollment uuid>` under "every
// time"; engine/playbook/enrollment.ts makes them). The runs API acts on these only: any other workflow on the task
// queue (an account's own workflow, a sweep, a rescore) is not a run, and is "not found" there.
const RUN_ID =
  /^playbook:([a-z0-9][a-z0-9-]*):account:(.+?)(?::([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$/;

export interface PlaybookRunId {
  playbookKey: string;
  accountId: string;
}

/** The playbook and account of a run's workflow id; undefined for a workflow that is not a playbook run. */
export function parseRunId(workflowId: string): PlaybookRunId | undefined {
  const match = RUN_ID.exec(workflowId);
  return match ? { playbookKey: match[1]!, accountId: match[2]! } : undefined;
}
