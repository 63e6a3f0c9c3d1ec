import { z } from 'zod';

// What an API token may do. A route names the scope that admits a token (its `access.scope`); `admin` admits a
// token everywhere, the way the admin role admits a person.
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
