#!/usr/bin/env node
// `npm start`: provisions what is missing (the temporal CLI on first run), then runs every part in one process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureEditorBuilt } from './editor-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
if (existsSync('.env')) process.loadEnvFile('.env');

if (!process.env.TEMPORAL_ADDRESS) {
  const provision = spawnSync('bash', ['scripts/provision.sh', 'temporal'], { stdio: 'inherit' });
  if (provision.status !== 0) {
    console.error(
      'stayflow: cannot start: the temporal CLI could not be provisioned (see above), or set TEMPORAL_ADDRESS',
    );
    process.exit(1);
  }
}

const role = process.env.STAYFLOW_ROLE ?? 'all';
// The API serves the built editor; rebuild it when missing or older than its sources (a quick mtime check). A worker
// alone serves nothing: it starts without waiting for a build (a restarted worker is back in seconds).
if (role !== 'worker') ensureEditorBuilt();

// A worker alone gets V8's old space capped at 256 MB. Uncapped, its resident memory climbs with the activations it
// has processed, not with what it holds (garbage its workflow thread collects lazily: +458 MB after 8,308 runs asleep,
// +128 MB capped; docs/performance.md, worker memory); 256 MB is ≈ 5× what it holds at the default sticky cache (200
// runs × ≈ 0.2 MB, plus the workflow bundle and the activities' heap). Through NODE_OPTIONS, not the command line:
// V8 applies it to every thread (workflow, render pool), and worker threads refuse it in their execArgv.
const heapCap = role === 'worker' ? '--max-old-space-size=256' : undefined;
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  stdio: 'inherit',
  // The server stops by itself when this launcher is gone (even by kill -9): see server/main.ts.
  env: {
    ...process.env,
    STAYFLOW_LAUNCHER_PID: String(process.pid),
    ...(heapCap && { NODE_OPTIONS: [process.env.NODE_OPTIONS, heapCap].filter(Boolean).join(' ') }),
  },
});
// The child handles Ctrl-C itself (it gets the terminal's SIGINT too); forward TERM from process managers.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
