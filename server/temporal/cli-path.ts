import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where scripts/provision.sh records the binaries it found or built. */
export function provisionedPaths(): Record<string, string> {
  const dir = process.env.STAYFLOW_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'stayflow');
  const file = path.join(dir, 'paths.env');
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

export function temporalCliPath(): string | undefined {
  return process.env.TEMPORAL_CLI_PATH || provisionedPaths().TEMPORAL_CLI_PATH;
}
