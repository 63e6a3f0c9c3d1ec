import { hash, verify, type Options } from '@node-rs/argon2';
import { DomainError } from '../errors.js';

// Passwords are kept as argon2id hashes (PHC strings carry their own salt and parameters, so stronger parameters
// later verify old hashes as they are). The parameters are OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
const ARGON2ID: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD = 12;
const MAX_PASSWORD = 1024;

/** Refuses a password too short to resist guessing, or one long enough to be a denial of service to hash. */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) {
    throw new DomainError('unprocessable', 'weak_password', `A password needs at least ${MIN_PASSWORD} characters`);
  }
  if (password.length > MAX_PASSWORD) {
    throw new DomainError('unprocessable', 'weak_password', `A password has at most ${MAX_PASSWORD} characters`);
  }
}

export async function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  return hash(password, ARGON2ID);
}

// Verified when the email is unknown (or has no password), so a sign-in takes as long whether the account exists.
let decoy: Promise<string> | undefined;

/** Whether the password matches the hash; with no hash, spends the same time and answers false. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD) return false;
  if (!passwordHash) {
    decoy ??= hash('decoy password, never matches', ARGON2ID);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
