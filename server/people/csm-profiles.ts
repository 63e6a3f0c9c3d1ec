import type { Selectable } from 'kysely';
import type { CsmInput } from '../email/templates/variables.js';
import type { CsmProfile, CsmProfileInput } from '../../engine/people/csm-profile.js';
import { notFound } from '../errors.js';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';
import type { UsersTable } from '../db/schema.js';

// A CSM profile is the part of a user that customers see in emails: the name they sign with, their booking link
// and signature. Accounts name their owner CSM by email; a CSM who never signs in is a user without a password.

const toProfile = (
  row: Pick<Selectable<UsersTable>, 'email' | 'name' | 'booking_link' | 'signature' | 'updated_at'>,
): CsmProfile => ({
  email: row.email,
  name: row.name,
  bookingLink: row.booking_link,
  signature: row.signature,
  updatedAt: row.updated_at.toISOString(),
});

const profileColumns = ['email', 'name', 'booking_link', 'signature', 'updated_at'] as const;

/** The profiles of the people who sign emails: CSMs and managers. */
export async function listCsmProfiles(db: Db): Promise<CsmProfile[]> {
  return (
    await db
      .selectFrom('users')
      .select(profileColumns)
      .where('role', 'in', ['csm', 'manager'])
      .orderBy('email')
      .execute()
  ).map(toProfile);
}

/** The same profiles by email a page at a time (emails are unique). */
export async function pageCsmProfiles(db: Db, page: { limit: number; cursor?: string }) {
  const query = db.selectFrom('users').select(profileColumns).where('role', 'in', ['csm', 'manager']);
  return keysetPage(query, page, { order: 'asc', keys: [['email', 'text']], item: toProfile });
}

export async function findCsmProfile(db: Db, email: string): Promise<CsmProfile> {
  const row = await db
    .selectFrom('users')
    .select(profileColumns)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  if (!row) throw notFound(`No CSM profile for ${email}; PUT /api/csms/${email} creates it`);
  return toProfile(row);
}

/**
 * Creates or updates a profile; fields the body leaves out keep their value, null clears one. An email that is no
 * user yet becomes a CSM without a password (an admin can give them a sign-in later).
 */
export async function saveCsmProfile(db: Db, email: string, input: CsmProfileInput): Promise<CsmProfile> {
  const values = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.bookingLink !== undefined && { booking_link: input.bookingLink }),
    ...(input.signature !== undefined && { signature: input.signature || null }),
  };
  const row = await db
    .insertInto('users')
    .values({ email: email.toLowerCase(), role: 'csm', ...values })
    .onConflict((oc) => oc.column('email').doUpdateSet({ ...values, updated_at: new Date() }))
    .returning(profileColumns)
    .executeTakeFirstOrThrow();
  return toProfile(row);
}

/**
 * The owner CSM as templates see them: the account names them (name, email); their profile, when there is one,
 * adds the booking link and signature and may give the name they sign with. The sender and the editor's
 * preview both build `csm.*` here.
 */
export async function ownerCsmOf(
  db: Db,
  account: { ownerCsmName: string | null; ownerCsmEmail: string | null },
): Promise<CsmInput> {
  const profile = account.ownerCsmEmail
    ? await db
        .selectFrom('users')
        .select(profileColumns)
        .where('email', '=', account.ownerCsmEmail.toLowerCase())
        .executeTakeFirst()
    : undefined;
  return {
    name: profile?.name ?? account.ownerCsmName,
    email: account.ownerCsmEmail,
    bookingLink: profile?.booking_link ?? null,
    signature: profile?.signature ?? null,
  };
}
