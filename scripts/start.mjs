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

// The API serves the built editor; rebuild it when missing or older than its sources (a quick mtime check).
ensureEditorBuilt();

const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  stdio: 'inherit',
  // The server stops by itself when this launcher is gone (even by kill -9): see server/main.ts.
  env: { ...process.env, STAYFLOW_LAUNCHER_PID: String(process.pid) },
});
// The child handles Ctrl-C itself (it gets the terminal's SIGINT too); forward TERM from process managers.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
