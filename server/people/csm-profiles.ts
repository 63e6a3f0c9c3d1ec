import type { Selectable } from 'kysely';
import type { CsmInput } from '../email/templates/variables.js';
import type { CsmProfile, CsmProfileInput } from '../../engine/people/csm-profile.js';
import { notFound } from '../errors.js';
import type { Db } from '../db/database.js';
import type { CsmProfilesTable } from '../db/schema.js';

const toProfile = (row: Selectable<CsmProfilesTable>): CsmProfile => ({
  email: row.email,
  name: row.name,
  bookingLink: row.booking_link,
  signature: row.signature,
  updatedAt: row.updated_at.toISOString(),
});

export async function listCsmProfiles(db: Db): Promise<CsmProfile[]> {
  return (await db.selectFrom('csm_profiles').selectAll().orderBy('email').execute()).map(toProfile);
}

export async function findCsmProfile(db: Db, email: string): Promise<CsmProfile> {
  const row = await db
    .selectFrom('csm_profiles')
    .selectAll()
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  if (!row) throw notFound(`No CSM profile for ${email}; PUT /api/csms/${email} creates it`);
  return toProfile(row);
}

/** Creates or updates a profile; fields the body leaves out keep their value, null clears one. */
export async function saveCsmProfile(db: Db, email: string, input: CsmProfileInput): Promise<CsmProfile> {
  const values = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.bookingLink !== undefined && { booking_link: input.bookingLink }),
    ...(input.signature !== undefined && { signature: input.signature || null }),
  };
  const row = await db
    .insertInto('csm_profiles')
    .values({ email: email.toLowerCase(), ...values })
    .onConflict((oc) => oc.column('email').doUpdateSet({ ...values, updated_at: new Date() }))
    .returningAll()
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
        .selectFrom('csm_profiles')
        .selectAll()
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
