// What cli/main.ts needs before it knows which command runs. Nothing here may import zod or the engine: their load
// time is what `stayflow --help` would otherwise pay on every call.

/** A mistake in how the CLI was called: reported on one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const DEFAULT_SERVER = 'http://127.0.0.1:3000';
