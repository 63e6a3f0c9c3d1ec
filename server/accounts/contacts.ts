import { sql } from 'kysely';
import type { Contact, ContactInput, ContactPatch } from '../../engine/accounts/schema.js';
import { DomainError, notFound } from '../errors.js';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';
import { newContactColumns, toContact, uniqueViolation } from './rows.js';

// An account's contacts. "primaryContact" emails go to the one flagged primary; the store keeps exactly one flagged
// while the account has contacts: the first is primary until another is made primary, and deleting the primary
// hands the flag to the oldest remaining contact.

/** Locks the account for the transaction, so two contact changes of one account cannot both move the flag. */
async function lockAccount(tx: Db, accountId: string): Promise<void> {
  const row = await tx.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().executeTakeFirst();
  if (!row) throw notFound(`Account ${accountId}`);
}

/** Clears the primary flag of the account's other contacts, so the unique index lets `contactId` take it. */
export async function clearPrimary(tx: Db, accountId: string, exceptContactId?: string): Promise<void> {
  let query = tx
    .updateTable('contacts')
    .set({ is_primary: false, updated_at: sql<Date>`now()` })
    .where('account_id', '=', accountId)
    .where('is_primary', '=', true);
  if (exceptContactId) query = query.where('id', '<>', exceptContactId);
  await query.execute();
}

const duplicateEmail = (email: string) =>
  new DomainError('conflict', 'conflict', `This account already has a contact with the email ${email}`);

async function withEmailCheck<T>(email: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (email !== undefined && uniqueViolation(error) === 'contacts_account_email') throw duplicateEmail(email);
    throw error;
  }
}

export async function listContacts(db: Db, accountId: string): Promise<Contact[]> {
  const account = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
  if (!account) throw notFound(`Account ${accountId}`);
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toContact);
}

/** The account's contacts oldest first, a page at a time (keyset on creation time and id); not_found for no account. */
export async function pageContacts(db: Db, accountId: string, page: { limit: number; cursor?: string }) {
  const account = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
  if (!account) throw notFound(`Account ${accountId}`);
  return keysetPage(db.selectFrom('contacts').selectAll().where('account_id', '=', accountId), page, {
    order: 'asc',
    keys: [
      ['created_at', 'time'],
      ['id', 'uuid'],
    ],
    item: toContact,
  });
}

/** The contact "primaryContact" emails go to; null when the account has no contacts. */
export async function primaryContact(db: Db, accountId: string): Promise<Contact | null> {
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('is_primary', '=', true)
    .executeTakeFirst();
  return row ? toContact(row) : null;
}

export async function createContact(db: Db, accountId: string, input: ContactInput): Promise<Contact> {
  return withEmailCheck(input.email, () =>
    db.transaction().execute(async (tx) => {
      await lockAccount(tx, accountId);
      const hasPrimary = await tx
        .selectFrom('contacts')
        .select('id')
        .where('account_id', '=', accountId)
        .where('is_primary', '=', true)
        .executeTakeFirst();
      const primary = input.primary === true || !hasPrimary;
      if (primary && hasPrimary) await clearPrimary(tx, accountId);
      const row = await tx
        .insertInto('contacts')
        .values(newContactColumns(accountId, input, primary))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toContact(row);
    }),
  );
}

export async function patchContact(
  db: Db,
  accountId: string,
  contactId: string,
  patch: ContactPatch,
): Promise<Contact> {
  return withEmailCheck(patch.email, () =>
    db.transaction().execute(async (tx) => {
      await lockAccount(tx, accountId);
      const current = await tx
        .selectFrom('contacts')
        .selectAll()
        .where('id', '=', contactId)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!current) throw notFound(`Contact ${contactId} of account ${accountId}`);
      if (patch.primary === false && current.is_primary) {
        throw new DomainError(
          'conflict',
          'primary_required',
          'An account with contacts always has a primary one: make another contact primary instead',
        );
      }
      if (patch.primary === true && !current.is_primary) await clearPrimary(tx, accountId, contactId);
      const unsubscribedAt =
        patch.unsubscribed === undefined || patch.unsubscribed === current.unsubscribed
          ? current.unsubscribed_at
          : patch.unsubscribed
            ? sql<Date>`now()`
            : null;
      const row = await tx
        .updateTable('contacts')
        .set({
          name: patch.name ?? current.name,
          email: patch.email ?? current.email,
          role: patch.role === undefined ? current.role : patch.role,
          locale: patch.locale === undefined ? current.locale : patch.locale,
          unsubscribed: patch.unsubscribed ?? current.unsubscribed,
          unsubscribed_at: unsubscribedAt,
          is_primary: patch.primary ?? current.is_primary,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', contactId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toContact(row);
    }),
  );
}

/** Deletes a contact; when it was the primary one, the oldest remaining contact becomes primary. */
export async function deleteContact(
  db: Db,
  accountId: string,
  contactId: string,
): Promise<{ primaryContactId: string | null }> {
  return db.transaction().execute(async (tx) => {
    await lockAccount(tx, accountId);
    const deleted = await tx
      .deleteFrom('contacts')
      .where('id', '=', contactId)
      .where('account_id', '=', accountId)
      .returning('is_primary')
      .executeTakeFirst();
    if (!deleted) throw notFound(`Contact ${contactId} of account ${accountId}`);
    const remaining = tx.selectFrom('contacts').select('id').where('account_id', '=', accountId);
    if (deleted.is_primary) {
      const oldest = await remaining.orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
      if (oldest) {
        await tx
          .updateTable('contacts')
          .set({ is_primary: true, updated_at: sql<Date>`now()` })
          .where('id', '=', oldest.id)
          .execute();
      }
      return { primaryContactId: oldest?.id ?? null };
    }
    const primary = await remaining.where('is_primary', '=', true).executeTakeFirst();
    return { primaryContactId: primary?.id ?? null };
  });
}
