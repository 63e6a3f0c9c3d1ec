import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historiesDir } from '../support/histories.js';
import { workflowBundle } from '../support/time-skipping.js';

// Determinism: every recorded history must replay against the current workflow code. A change that alters the
// order of commands fails here until it is put behind patched().
const files = readdirSync(historiesDir).filter((f) => f.endsWith('.json'));

it('has recorded histories to replay', () => {
  expect(files.length).toBeGreaterThan(0);
});

it('has a recorded run of every shipped seed playbook', () => {
  const shipped = readdirSync(path.resolve('playbooks', 'seed')).filter((f) => f.endsWith('.json'));
  expect(shipped.length).toBeGreaterThan(0);
  for (const file of shipped) expect(files, `tests/histories/seed-${file}`).toContain(`seed-${file}`);
});

// The paths production takes: runs started with Stayflow's search attributes (each move upserts StayflowNode and
// StayflowStatus, so dropping or reordering an upsert fails replay), the account's long-lived workflow, and a step
// whose last attempt died taking its failure route (tests/workflow/search-attribute-histories.test.ts and
// effect-failure.test.ts record them).
const eventTypes = (file: string) =>
  new Set(
    (JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')) as { events: { eventType: string }[] }).events.map(
      (e) => e.eventType,
    ),
  );
it.each([
  ['playbook-run-search-attributes.json', 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'],
  ['playbook-run-enrolled-by-account.json', 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'],
  ['account-entity-enrolls-and-tells-run.json', 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED'],
  ['effect-failure-route.json', 'EVENT_TYPE_MARKER_RECORDED'],
])('has a recorded history %s with %s', (file, eventType) => {
  expect(files).toContain(file);
  expect(eventTypes(file)).toContain(eventType);
});

it.each(files)('replays %s against the current workflow code', async (file) => {
  const history = JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')) as unknown;
  const workflowId = path.basename(file, '.json');
  await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history as never, workflowId);
});
