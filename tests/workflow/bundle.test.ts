import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { workflowBundle } from '../support/time-skipping.js';

// Workflow code is re-evaluated for every cached workflow: schemas allocated at module scope there are a known
// cause of worker memory growth. The playbook IR is validated before a run starts; workflows import types only.
it('keeps zod and other server-side modules out of the workflow bundle', () => {
  const code = readFileSync(workflowBundle().codePath, 'utf8');
  expect(code).toContain('playbookRunWorkflow');
  for (const heavy of [
    'node_modules/zod/',
    'node_modules/kysely/',
    'node_modules/nodemailer/',
    'node_modules/express/',
  ]) {
    expect(code, `${heavy} found in the workflow bundle`).not.toContain(heavy);
  }
});
