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

it.each(files)('replays %s against the current workflow code', async (file) => {
  const history = JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')) as unknown;
  const workflowId = path.basename(file, '.json');
  await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history as never, workflowId);
});
