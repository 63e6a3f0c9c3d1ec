import { sql } from 'kysely';

/** A condition on an `accounts` row: owned by this CSM (email, any case) — the accounts list's `owner` filter. */
export const ownedBy = (owner: string) => sql<boolean>`lower(accounts.owner_csm_email) = ${owner.toLowerCase()}`;
