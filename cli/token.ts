// `stayflow token create|list|revoke`: API tokens, through the server's API (POST/GET /api/tokens, DELETE
// /api/tokens/:id), so it works while the server runs. It needs an admin's credentials: STAYFLOW_TOKEN, the config
// file, or — on the server's own machine — the running server's local operator token (cli/credentials.ts).
import { TokenScope } from '../server/auth/scopes.js';
import { call, failure, ok, reportFailures, serverUrl } from './remote.js';
import { UsageError } from './usage.js';

const SCOPES: readonly string[] = TokenScope.options;

interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const describe = (t: ApiToken) =>
  `${t.id}  ${t.name}  scopes: ${t.scopes.join(',')}  created ${t.createdAt}` +
  `${t.expiresAt ? `  expires ${t.expiresAt}` : ''}${t.lastUsedAt ? `  last used ${t.lastUsedAt}` : ''}` +
  `${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}`;

/** `--expires 90d` (days from now) or an ISO date-time. */
function expiresAt(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const days = /^(\d{1,4})d$/.exec(value);
  if (days) return new Date(Date.now() + Number(days[1]) * 86_400_000).toISOString();
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`--expires takes 90d or a date-time, not '${value}'`);
  return new Date(value).toISOString();
}

export async function tokenCommand(
  action: string | undefined,
  args: string[],
  values: { name?: string; scope?: string[]; expires?: string; json?: boolean; server?: string },
): Promise<number> {
  const server = serverUrl(values.server);
  switch (action) {
    case 'create': {
      if (args.length > 0)
        throw new UsageError(`token create takes no positional arguments; unexpected: ${args.join(' ')}`);
      const name = values.name?.trim();
      if (!name) throw new UsageError('token create needs --name <what will use it>');
      // `events` was the one scope before scopes were named for what they allow.
      const scopes = (values.scope ?? []).map((scope) => (scope === 'events' ? 'events:write' : scope));
      const unknown = scopes.find((scope) => !SCOPES.includes(scope));
      if (unknown !== undefined) throw new UsageError(`unknown scope '${unknown}' (scopes: ${SCOPES.join(', ')})`);
      if (scopes.length === 0) throw new UsageError(`token create needs --scope (one of: ${SCOPES.join(', ')})`);
      const expires = expiresAt(values.expires);
      return reportFailures('token', async () => {
        const answer = await call(server, 'POST', '/api/tokens', {
          name,
          scopes,
          ...(expires && { expiresAt: expires }),
        });
        if (!ok(answer)) throw failure('creating the token', answer);
        const { token, secret } = answer.body as { token: ApiToken; secret: string };
        if (values.json) console.log(JSON.stringify({ ...token, secret }));
        else {
          console.log(`Created token '${token.name}' (${token.id}) with scopes ${token.scopes.join(', ')}.`);
          console.log(`\n  ${secret}\n`);
          console.log('This is the only time the secret is shown. Send it as: Authorization: Bearer <secret>');
        }
      });
    }
    case 'list':
      if (args.length > 0) throw new UsageError(`token list takes no arguments; unexpected: ${args.join(' ')}`);
      return reportFailures('token', async () => {
        const answer = await call(server, 'GET', '/api/tokens');
        if (!ok(answer)) throw failure('listing tokens', answer);
        const tokens = (answer.body as { items: ApiToken[] }).items;
        if (values.json) console.log(JSON.stringify(tokens));
        else if (tokens.length === 0)
          console.log('No tokens. Create one: stayflow token create --name <name> --scope events:write');
        else for (const token of tokens) console.log(describe(token));
      });
    case 'revoke': {
      const [id, ...extra] = args;
      if (id === undefined || extra.length > 0)
        throw new UsageError('token revoke takes one token id (see: stayflow token list)');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new UsageError(`'${id}' is not a token id (a UUID; see: stayflow token list)`);
      }
      return reportFailures('token', async () => {
        const answer = await call(server, 'DELETE', `/api/tokens/${id}`);
        if (!ok(answer)) throw failure('revoking the token', answer);
        const token = answer.body as ApiToken;
        console.log(values.json ? JSON.stringify(token) : `Revoked: ${describe(token)}`);
      });
    }
    default:
      throw new UsageError(
        action === undefined
          ? 'token needs an action: create, list or revoke'
          : `unknown token action '${action}' (create, list, revoke)`,
      );
  }
}
