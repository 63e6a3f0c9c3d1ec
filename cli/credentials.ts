import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../server/package-root.js';
import { OPERATOR_TOKEN_FILE } from '../server/auth/operator-token.js';
import { UsageError } from './usage.js';

// How the CLI authenticates to the API, first found wins:
//   1. STAYFLOW_TOKEN — an API token (CI, scripts);
//   2. the config file — $STAYFLOW_CONFIG, else $XDG_CONFIG_HOME/stayflow/config.json, else
//      ~/.config/stayflow/config.json: { "server": "https://stayflow.example.com", "token": "sf_…" };
//   3. for a server on this machine, the local operator token the running server wrote to DATA_DIR/operator-token
//      (server/auth/operator-token.ts) — how `stayflow user create` makes the first admin with nothing set up.

export interface CliConfig {
  server?: string;
  token?: string;
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STAYFLOW_CONFIG) return env.STAYFLOW_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'stayflow', 'config.json');
}

/** The config file's settings; none when there is no file. A file others can read is refused: it holds a secret. */
export function readCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const file = configFilePath(env);
  if (!existsSync(file)) return {};
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new UsageError(`${file} holds a token but others can read it: chmod 600 ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const config = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  return {
    ...(typeof config.server === 'string' && { server: config.server }),
    ...(typeof config.token === 'string' && { token: config.token }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The operator token of a server running on this machine from this project (DATA_DIR as `npm start` reads it). */
function operatorToken(env: NodeJS.ProcessEnv): string | undefined {
  let dataDir = env.DATA_DIR;
  if (!dataDir) {
    const dotenv = path.join(packageRoot, '.env');
    const line = existsSync(dotenv)
      ? readFileSync(dotenv, 'utf8')
          .split('\n')
          .find((l) => /^\s*DATA_DIR\s*=/.test(l))
      : undefined;
    dataDir =
      line
        ?.split('=')
        .slice(1)
        .join('=')
        .trim()
        .replace(/^['"]|['"]$/g, '') || '.data';
  }
  const file = path.join(path.resolve(packageRoot, dataDir), OPERATOR_TOKEN_FILE);
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The token to send to `server`, and where it came from (for messages); undefined: none found. */
export function tokenFor(
  server: string,
  env: NodeJS.ProcessEnv = process.env,
): { token: string; from: string } | undefined {
  if (env.STAYFLOW_TOKEN) return { token: env.STAYFLOW_TOKEN, from: 'STAYFLOW_TOKEN' };
  const config = readCliConfig(env);
  if (config.token) return { token: config.token, from: configFilePath(env) };
  if (LOOPBACK.has(new URL(server).hostname)) {
    const token = operatorToken(env);
    if (token) return { token, from: 'the local operator token' };
  }
  return undefined;
}

export const NO_TOKEN_HINT =
  'set STAYFLOW_TOKEN to an API token, or put { "token": "sf_…" } in ' +
  `${configFilePath()} (on the server's own machine the running server's local operator token is used)`;
