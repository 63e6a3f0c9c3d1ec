import { z } from 'zod';
import { recordAudit } from '../../audit/log.js';
import { ApiToken, CreatedApiToken, NewApiToken } from '../../../engine/people/api-token.js';
import { createToken, pageTokens, revokeToken } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { ADMINS } from '../roles.js';

const TokenRef = z.object({ id: z.uuid({ error: 'must be a token id (a UUID)' }) });

export const tokenRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  const now = () => ctx.now?.() ?? new Date();
  return [
    route({
      method: 'get',
      path: '/api/tokens',
      tag: 'people',
      access: { roles: ADMINS, scope: 'admin' },
      summary: 'API tokens with their scopes, expiry and last use (never their secrets), oldest first.',
      query: WholeListPage,
      response: z.object({ items: z.array(ApiToken), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query }) {
        return pageTokens(db, query);
      },
    }),
    route({
      method: 'post',
      path: '/api/tokens',
      tag: 'people',
      access: { roles: ADMINS, scope: 'admin' },
      summary:
        'Creates an API token. The answer holds its secret, shown this once (only a hash is kept): send it as Authorization: Bearer <secret>.',
      // The engine's schema (engine/people/api-token.ts): the web app's form checks the same rules.
      body: NewApiToken,
      status: 201,
      response: CreatedApiToken,
      errors: [422],
      async handler({ body, principal }) {
        const created = await createToken(
          db,
          {
            name: body.name,
            scopes: body.scopes,
            expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
            createdBy: principal?.kind === 'user' ? principal.userId : null,
          },
          now(),
        );
        await recordAudit(db, {
          actor: principal!,
          action: 'token.created',
          target: { kind: 'token', id: created.token.id },
          detail: { name: created.token.name, scopes: created.token.scopes, expiresAt: created.token.expiresAt },
        });
        return created;
      },
    }),
    route({
      method: 'delete',
      path: '/api/tokens/:id',
      tag: 'people',
      access: { roles: ADMINS, scope: 'admin' },
      summary: 'Revokes a token: it stops working at once. Revoking twice keeps the first time.',
      params: TokenRef,
      response: ApiToken,
      errors: [404],
      async handler({ params, principal }) {
        const token = await revokeToken(db, params.id);
        await recordAudit(db, {
          actor: principal!,
          action: 'token.revoked',
          target: { kind: 'token', id: token.id },
          detail: { name: token.name },
        });
        return token;
      },
    }),
  ];
};
