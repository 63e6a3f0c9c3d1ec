import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, report } from './measure.js';

// `stayflow --help` should cost about what starting node costs: the launcher runs built JavaScript and cli/main.ts
// loads a command's modules only when that command runs. Target: under 10× a bare `node -e 0`, measured in turns
// with it so a busy machine slows both alike.
const ROUNDS = 15;
const launcher = fileURLToPath(new URL('../scripts/stayflow.mjs', import.meta.url));

function runMs(args: string[]): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return ms;
}

export function benchCliStart(): void {
  // The first call after a source edit transpiles what changed; that is a one-off, not what each call costs.
  const firstMs = runMs([launcher, '--help']);
  const bare: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(runMs(['-e', '0']));
    help.push(runMs([launcher, '--help']));
  }
  report(
    `stayflow --help (median of ${ROUNDS}; first call ${firstMs.toFixed(0)} ms)`,
    'node -e 0',
    median(bare),
    median(help),
  );
}
