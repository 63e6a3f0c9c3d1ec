// `stayflow token create|list|revoke`: API tokens, written straight into the app database. Not over HTTP: a token
// is what grants HTTP access, so minting one needs what the server itself needs — its configuration and database.
import { existsSync } from 'node:fs';
import { createToken, listTokens, revokeToken, TokenScope, type ApiToken } from '../server/auth/tokens.js';
import { ConfigError, loadConfig } from '../server/config.js';
import { openDatabase, type AppDatabase } from '../server/db/database.js';
import { packageRoot } from '../server/package-root.js';
import { isListening } from '../server/temporal/dev-server.js';
import { UsageError } from './input.js';

/** The command was understood, but doing it now would be wrong: exit 1. */
export class RefusedError extends Error {}

/** Opens the database `npm start` uses: the same .env, and DATA_DIR relative to the project as start does. */
async function openServerDatabase(): Promise<AppDatabase> {
  process.chdir(packageRoot);
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (!config.DATABASE_URL) {
    if (config.dataDir === 'memory://')
      throw new UsageError('DATA_DIR=memory:// keeps no tokens; use a directory or DATABASE_URL');
    // PGlite has one user at a time: a second process on the same files would corrupt them. A server using them
    // listens on PORT (the embedded database implies STAYFLOW_ROLE=all).
    const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
    if (await isListening(config.PORT, host)) {
      throw new RefusedError(
        `Stayflow is running (port ${config.PORT}) on its embedded database (${config.dataDir}), which one process at a time may open: stop it, run this again, then start it (with DATABASE_URL both can run at once)`,
      );
    }
  }
  return openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
}

const describe = (t: ApiToken) =>
  `${t.id}  ${t.name}  scopes: ${t.scopes.join(',')}  created ${t.createdAt}` +
  `${t.lastUsedAt ? `  last used ${t.lastUsedAt}` : ''}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}`;

export async function tokenCommand(
  action: string | undefined,
  args: string[],
  values: { name?: string; scope?: string[]; json?: boolean },
): Promise<number> {
  let run: (database: AppDatabase) => Promise<void>;
  switch (action) {
    case 'create': {
      if (args.length > 0)
        throw new UsageError(`token create takes no positional arguments; unexpected: ${args.join(' ')}`);
      const name = values.name?.trim();
      if (!name) throw new UsageError('token create needs --name <what will use it>');
      const scopes = (values.scope ?? []).map((scope) => {
        const parsed = TokenScope.safeParse(scope);
        if (!parsed.success)
          throw new UsageError(`unknown scope '${scope}' (scopes: ${TokenScope.options.join(', ')})`);
        return parsed.data;
      });
      if (scopes.length === 0)
        throw new UsageError(`token create needs --scope (one of: ${TokenScope.options.join(', ')})`);
      run = async ({ db }) => {
        const { token, secret } = await createToken(db, { name, scopes });
        if (values.json) console.log(JSON.stringify({ ...token, secret }));
        else {
          console.log(`Created token '${token.name}' (${token.id}) with scopes ${token.scopes.join(', ')}.`);
          console.log(`\n  ${secret}\n`);
          console.log('This is the only time the secret is shown. Send it as: Authorization: Bearer <secret>');
        }
      };
      break;
    }
    case 'list':
      if (args.length > 0) throw new UsageError(`token list takes no arguments; unexpected: ${args.join(' ')}`);
      run = async ({ db }) => {
        const tokens = await listTokens(db);
        if (values.json) console.log(JSON.stringify(tokens));
        else if (tokens.length === 0)
          console.log('No tokens. Create one: stayflow token create --name <name> --scope events');
        else for (const token of tokens) console.log(describe(token));
      };
      break;
    case 'revoke': {
      const [id, ...extra] = args;
      if (id === undefined || extra.length > 0)
        throw new UsageError('token revoke takes one token id (see: stayflow token list)');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new UsageError(`'${id}' is not a token id (a UUID; see: stayflow token list)`);
      }
      run = async ({ db }) => {
        const token = await revokeToken(db, id);
        console.log(values.json ? JSON.stringify(token) : `Revoked: ${describe(token)}`);
      };
      break;
    }
    default:
      throw new UsageError(
        action === undefined
          ? 'token needs an action: create, list or revoke'
          : `unknown token action '${action}' (create, list, revoke)`,
      );
  }

  let database: AppDatabase;
  try {
    database = await openServerDatabase();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    console.error(`stayflow: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    await run(database);
    return 0;
  } catch (error) {
    console.error(`stayflow: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await database.close();
  }
}
