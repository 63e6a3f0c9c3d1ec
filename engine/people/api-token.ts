import { z } from 'zod';

// API tokens for the systems that call Stayflow: what a token may do (its scopes), how it is described, and what a
// new one needs. The server checks and stores them (server/auth/tokens.ts, server/auth/scopes.ts re-exports the
// scopes); the web app's tokens page builds its form from these same schemas.

// A route names the scope that admits a token (its `access.scope`); `admin` admits a token everywhere, the way the
// admin role admits a person.
export const TokenScope = z.enum([
  'read',
  'events:write',
  'accounts:write',
  'playbooks:write',
  'playbooks:publish',
  'runs:write',
  'tasks:write',
  'approvals:write',
  'templates:write',
  'settings:write',
  'admin',
]);
export type TokenScope = z.infer<typeof TokenScope>;

export const SCOPE_DESCRIPTIONS: Record<TokenScope, string> = {
  read: 'every read: GET routes, and validate, simulate and render previews',
  'events:write': 'POST /api/events',
  'accounts:write': 'accounts, contacts, custom fields, CSV import, CSM profiles',
  'playbooks:write': 'save drafts, archive and unarchive playbooks',
  'playbooks:publish': 'publish a draft as a new version',
  'runs:write': 'enroll, cancel, skip waits, resend an uncertain email',
  'tasks:write': 'complete, dismiss and reopen CSM tasks',
  'approvals:write': 'decide approvals',
  'templates:write': 'save email templates',
  'settings:write': 'the health scorecard and the stack check',
  admin: 'everything, users, tokens and the audit log included',
};

export const hasScope = (granted: readonly TokenScope[], needed: TokenScope) =>
  granted.includes('admin') || granted.includes(needed);

export const ApiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(TokenScope),
    createdAt: z.iso.datetime(),
    createdBy: z.string().nullable().meta({ description: 'The user who created it; null for tokens made at start.' }),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

export const NewApiToken = z
  .strictObject({
    name: z.string().trim().min(1, { error: 'must say what will use it' }).max(200),
    scopes: z.array(TokenScope).min(1, { error: 'give at least one scope' }),
    expiresAt: z.iso
      .datetime({ offset: true, error: 'must be a date-time such as 2026-12-31T00:00:00Z' })
      .optional()
      .meta({ description: 'When the token stops working; without it, it works until revoked.' }),
  })
  .meta({ id: 'NewApiToken' });
export type NewApiToken = z.infer<typeof NewApiToken>;

/** The answer to creating a token: the secret is in it this once (only its hash is kept). */
export const CreatedApiToken = z.object({ token: ApiToken, secret: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
