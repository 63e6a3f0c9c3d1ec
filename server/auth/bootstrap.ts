import type { Logger } from 'pino';
import { recordAudit } from '../audit/log.js';
import type { LoadedConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { isDomainError } from '../errors.js';
import { createToken, tokenExists } from './tokens.js';
import { createUser, hasAdmin } from './users.js';

// The first admin, on a fresh install: from STAYFLOW_ADMIN_EMAIL + STAYFLOW_ADMIN_PASSWORD while there is no admin
// (later starts ignore them: changing them never resets a password), and for automation an admin API token with
// exactly the value of STAYFLOW_BOOTSTRAP_TOKEN, made once — a token revoked since is not made again.

const SYSTEM = { kind: 'system', name: 'start-up (environment)' } as const;

/** Answers whether an admin exists afterwards; false means nobody can sign in yet (main prints how to). */
export async function bootstrapAccess(
  db: Db,
  config: Pick<LoadedConfig, 'STAYFLOW_ADMIN_EMAIL' | 'STAYFLOW_ADMIN_PASSWORD' | 'STAYFLOW_BOOTSTRAP_TOKEN'>,
  logger: Logger,
): Promise<{ hasAdmin: boolean }> {
  if (config.STAYFLOW_ADMIN_EMAIL && config.STAYFLOW_ADMIN_PASSWORD && !(await hasAdmin(db))) {
    const user = await createUser(db, {
      email: config.STAYFLOW_ADMIN_EMAIL,
      role: 'admin',
      password: config.STAYFLOW_ADMIN_PASSWORD,
    }).catch((error: unknown) => {
      // Another API process starting at the same moment made them.
      if (isDomainError(error, 'conflict')) return undefined;
      throw error;
    });
    if (!user) return { hasAdmin: await hasAdmin(db) };
    await recordAudit(db, {
      actor: SYSTEM,
      action: 'user.created',
      target: { kind: 'user', id: user.id },
      detail: { email: user.email, role: 'admin', source: 'STAYFLOW_ADMIN_EMAIL' },
    });
    logger.info({ email: user.email }, 'first admin created from STAYFLOW_ADMIN_EMAIL');
  }
  if (config.STAYFLOW_BOOTSTRAP_TOKEN && !(await tokenExists(db, config.STAYFLOW_BOOTSTRAP_TOKEN))) {
    const { token } = await createToken(db, {
      name: 'bootstrap (STAYFLOW_BOOTSTRAP_TOKEN)',
      scopes: ['admin'],
      secret: config.STAYFLOW_BOOTSTRAP_TOKEN,
    });
    await recordAudit(db, {
      actor: SYSTEM,
      action: 'token.created',
      target: { kind: 'token', id: token.id },
      detail: { name: token.name, scopes: token.scopes },
    });
    logger.info({ token: token.id }, 'admin API token created from STAYFLOW_BOOTSTRAP_TOKEN');
  }
  return { hasAdmin: await hasAdmin(db) };
}

/** What `npm start` prints while nobody can sign in. */
export const FIRST_SIGN_IN_HINT = (publicUrl: string) =>
  [
    'Nobody can sign in yet. Make the first admin, in another terminal while this runs:',
    '    npx stayflow user create --email you@yourco.example --role admin',
    `  (it asks for a password), then sign in at ${publicUrl}.`,
    '  Or set STAYFLOW_ADMIN_EMAIL and STAYFLOW_ADMIN_PASSWORD and start again.',
  ].join('\n');
