// Every workflow the worker registers. Workflow files import only @temporalio/workflow and pure engine code.
export { stackCheckWorkflow } from './stack-check.js';
export { playbookRunWorkflow } from './playbook-run.js';
export { accountEntityWorkflow } from './account-entity.js';
export { dailySweepWorkflow } from './daily-sweep.js';
export { scorecardRescoreWorkflow } from './scorecard-rescore.js';
export { fieldChangesFanOutWorkflow } from './field-changes-fan-out.js';
export { migrateRunsWorkflow } from './migrate-runs.js';
