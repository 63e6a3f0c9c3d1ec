import { readFileSync } from 'node:fs';
import { compilePlaybook } from '../engine/playbook/compile.js';
import { simulate } from '../engine/simulator/simulate.js';
import { report, time } from './measure.js';

// The time-travel preview runs on every keystroke-debounced edit in the editor: it should cost about what
// checking the playbook costs, not more. Baseline: compiling the same playbook, in the same run.
const ROUNDS = 300;
const definition: unknown = JSON.parse(readFileSync('playbooks/examples/welcome-and-checkin.json', 'utf8'));

export async function benchSimulate(): Promise<void> {
  const compiled = compilePlaybook(definition);
  if (!compiled.ok) throw new Error(`the example playbook does not compile: ${JSON.stringify(compiled.issues)}`);
  const playbook = compiled.playbook;
  const compileMs = await time(async () => {
    for (let i = 0; i < ROUNDS; i++) compilePlaybook(definition);
  });
  const simulateMs = await time(async () => {
    for (let i = 0; i < ROUNDS; i++) {
      await simulate({
        playbook,
        account: { id: `bench-${i}`, timeZone: 'Europe/Madrid', fields: { segment: 'high-touch' } },
        startAt: '2026-03-02T08:00:00Z',
      });
    }
  });
  report(
    `simulate ×${ROUNDS}, ${Object.keys(playbook.nodes).length}-step example`,
    'compiling it',
    compileMs,
    simulateMs,
  );
}
