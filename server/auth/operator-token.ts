import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';

// The local operator token: how `stayflow user create` and `stayflow token …` reach a running server from the same
// machine before anyone has a sign-in or a token. The embedded database is held by the server process, so the CLI
// cannot write to it; it asks the API instead, with a secret the server writes at start to DATA_DIR/operator-token
// (mode 0600, a new one each start, deleted at stop). Whoever can read that file can read the database files beside
// it, so it grants nothing new; the server also takes it only on connections from this machine (loopback).

export const OPERATOR_TOKEN_FILE = 'operator-token';

export interface OperatorToken {
  /** Whether a presented secret is this token (constant-time). */
  matches(secret: string): boolean;
  file: string;
  remove(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export async function writeOperatorToken(dataDir: string): Promise<OperatorToken> {
  const secret = `sfo_${randomBytes(32).toString('base64url')}`;
  const file = path.join(dataDir, OPERATOR_TOKEN_FILE);
  const temporary = `${file}.${process.pid}`;
  // Created 0600 and moved into place, so the secret is never readable by others, not even for a moment.
  await writeFile(temporary, `${secret}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  const expected = digest(secret);
  return {
    file,
    matches: (presented) => presented.startsWith('sfo_') && timingSafeEqual(digest(presented), expected),
    remove: () => rm(file, { force: true }),
  };
}

/** Whether the request came over a loopback connection (the operator token is taken only from this machine). */
export function fromLoopback(remoteAddress: string | undefined): boolean {
  return (
    remoteAddress !== undefined &&
    (remoteAddress === '::1' || remoteAddress.startsWith('127.') || remoteAddress.startsWith('::ffff:127.'))
  );
}
