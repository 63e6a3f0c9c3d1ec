import { ROLES, type Role } from '../auth/principal.js';

// The role sets routes name in their `access`, so the rules read as who, not as lists to compare.

/** Every signed-in person, viewers included: reads. */
export const EVERYONE: readonly Role[] = ROLES;
/** Those who design: playbooks, templates, the scorecard, settings, account data in bulk. */
export const DESIGNERS: readonly Role[] = ['admin', 'ops'];
/** Those who work accounts: CSMs on their own, managers on their team's (the route's ownership rule says which). */
export const ACCOUNT_TEAM: readonly Role[] = ['admin', 'ops', 'manager', 'csm'];
/** Users, tokens, the audit log. */
export const ADMINS: readonly Role[] = ['admin'];
