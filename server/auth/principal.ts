import { z } from 'zod';
import type { TokenScope } from './scopes.js';

// Who is calling. Every API route declares which callers it admits (server/api/access.ts checks it before the
// handler runs); handlers that act on someone's behalf read it from their input (`principal`).

/**
 * admin: everything, users and tokens included. ops: designs and publishes playbooks, templates, the scorecard and
 * settings, and manages accounts. manager: a team of CSMs — their accounts, runs, tasks and escalated approvals.
 * csm: their own accounts and what hangs off them. viewer: reads everything, changes nothing.
 */
export const Role = z.enum(['admin', 'ops', 'manager', 'csm', 'viewer']);
export type Role = z.infer<typeof Role>;
export const ROLES = Role.options;

/** A person signed in with a session cookie. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  /** Lower-cased; accounts name their owner CSM and CSM manager by email. */
  email: string;
  name: string | null;
  role: Role;
  /** For a manager: the lower-cased emails of the CSMs in their team (users whose manager they are). Else empty. */
  team: string[];
  sessionId: string;
}

/**
 * A system calling with an API token (`Authorization: Bearer …`). Tokens have scopes, not roles, and no ownership:
 * a token with `runs:write` acts on every account. The local operator token (the CLI on the server's machine) is one
 * of these, with the `admin` scope.
 */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  name: string;
  scopes: TokenScope[];
}

export type Principal = UserPrincipal | TokenPrincipal;

/** A short, stable description of the caller for the audit log and messages: `ana@acme.example (csm)`. */
export function describePrincipal(principal: Principal): string {
  return principal.kind === 'user' ? `${principal.email} (${principal.role})` : `token '${principal.name}'`;
}
