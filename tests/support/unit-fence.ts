import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';

// The unit lane's promise, kept by the lane itself (vitest.config.ts loads this before every unit file): a test
// that opens a database, a port or a socket, or starts a process, fails at once, naming the lane it belongs in.
function refuse(what: string): never {
  throw new Error(`the unit lane is pure: ${what} belongs in the component lane (tests/component)`);
}

net.Server.prototype.listen = () => refuse('listening on a port');
net.Socket.prototype.connect = () => refuse('opening a socket (a database, an SMTP or HTTP server)');
const processes = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
for (const name of processes) {
  Object.defineProperty(childProcess, name, { value: () => refuse(`starting a child process (${name})`) });
}
syncBuiltinESMExports(); // so `import { spawn } from 'node:child_process'` sees the fence too
PGlite.create = () => refuse('opening PGlite');
