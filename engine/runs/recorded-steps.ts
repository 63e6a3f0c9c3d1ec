import type { NodeType } from '../playbook/nodes.js';

/**
 * Step types whose doing leaves a record in the run's step log (`run_steps`): the only steps a run can be found by
 * having done (`GET /api/runs?reached=`) and counted in a playbook's funnel. A wait or a branch leaves none.
 */
export const RECORDED_STEP_TYPES: ReadonlySet<string> = new Set<NodeType>([
  'email',
  'task',
  'approval',
  'webhook',
  'notify',
  'updateField',
  'goal',
]);
