import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { benchCliStart } from './cli-start.js';
import { benchCompileScale } from './compile-scale.js';
import { benchCsvImport } from './csv-import.js';
import { benchEmail } from './email.js';
import { benchEnrollment } from './enrollment.js';
import { benchEventsIngest } from './events-ingest.js';
import { benchInterpreter } from './interpreter.js';
import { formatNumber, note, recordedFigures, recordedNotes, startBench } from './measure.js';
import { benchSimulate } from './simulate.js';
import { benchSleepingRuns } from './sleeping-runs.js';

// `npm run bench` (all), or `npm run bench -- email compile` (some): each line is a cost as a ratio of a baseline
// measured in the same run on the same machine, so numbers from different machines compare. The table goes to the
// terminal and, with the machine, its load and the date, to .data/bench/latest.json. Not a test: nothing here fails
// a build, and a missed target is reported, not thrown.

// `about` heads the benches that do not print their own heading (the newer ones name themselves and their rounds).
const benches: Record<string, { about: string; run: () => Promise<void> | void }> = {
  compile: { about: '', run: benchCompileScale },
  simulate: { about: 'the time-travel preview against compiling the same playbook', run: benchSimulate },
  'csv-import': { about: 'a 10,000-row account import against parsing the file', run: benchCsvImport },
  'cli-start': { about: 'the CLI launcher against a bare node', run: benchCliStart },
  interpreter: { about: '', run: benchInterpreter },
  email: { about: '', run: benchEmail },
  enrollment: { about: '', run: benchEnrollment },
  events: { about: '', run: benchEventsIngest },
  sleeping: { about: '', run: benchSleepingRuns },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(benches).join(', ')})`);
  process.exit(2);
}
const chosen = asked.length > 0 ? asked : Object.keys(benches);

const load = () => os.loadavg().map((n) => n.toFixed(2));
const machine = {
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
};
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
} catch {
  // Not a git checkout (a built image): the JSON says unknown.
}
const started = new Date();
console.log(
  `Stayflow bench (ratios against a baseline of the same run) — ${started.toISOString()}\n` +
    `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, commit ${commit}; ` +
    `load average ${load().join(' ')} (other work on this machine slows both sides of each ratio)`,
);

const runs: { bench: string; seconds: number; loadBefore: string[]; loadAfter: string[]; error?: string }[] = [];
for (const name of chosen) {
  const bench = benches[name]!;
  if (bench.about) startBench(name, bench.about);
  const loadBefore = load();
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await bench.run();
  } catch (failure) {
    // One bench failing (a port, a missing binary) must not hide the others' figures.
    error = failure instanceof Error ? failure.message : String(failure);
    console.error(`  ✗ ${name} failed: ${error}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  runs.push({
    bench: name,
    seconds: Number(seconds.toFixed(1)),
    loadBefore,
    loadAfter: load(),
    ...(error && { error }),
  });
  note(`${name}: ${seconds.toFixed(0)} s, load average ${runs.at(-1)!.loadAfter.join(' ')}`);
}

const figures = recordedFigures();
const targets = figures.filter((f) => f.target);
console.log(
  `\nTargets: ${targets.filter((f) => f.target!.met).length} met, ${targets.filter((f) => !f.target!.met).length} missed`,
);
for (const f of targets) {
  console.log(
    `  ${f.target!.met ? 'met   ' : 'MISSED'} ${f.bench}: ${f.what} — ${formatNumber(f.ratio)}× (${f.target!.text})`,
  );
}

// latest.json for tools, and a copy named by the date so runs of the same day can be compared.
const dir = path.resolve('.data', 'bench');
await mkdir(dir, { recursive: true });
const totalSeconds = (Date.now() - started.getTime()) / 1000;
const json = `${JSON.stringify({ date: started.toISOString(), commit, machine, totalSeconds, runs, figures, notes: recordedNotes() }, null, 2)}\n`;
const file = path.join(dir, 'latest.json');
await writeFile(file, json);
await writeFile(path.join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`), json);
console.log(
  `\n${figures.length} figures in ${totalSeconds.toFixed(0)} s, written to ${path.relative(process.cwd(), file)}`,
);
if (runs.some((r) => r.error)) process.exitCode = 1;
