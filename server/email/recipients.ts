import type { Account } from '../../engine/accounts/schema.js';
import type { Effect } from '../../engine/interpreter/types.js';
import { listContacts, primaryContact } from '../accounts/contacts.js';
import type { Db } from '../db/database.js';

type EmailEffect = Extract<Effect, { kind: 'email' }>;

/** Who one email step writes to. Contacts can unsubscribe and are capped; the owner CSM is staff, neither. */
export interface Recipient {
  email: string;
  name: string | null;
  contactId: string | null;
  locale: string | null;
}

/** The step's recipients as the account is now; `none` says why there is nobody (for the run's timeline). */
export async function emailRecipients(
  db: Db,
  account: Account,
  recipients: EmailEffect['recipients'],
): Promise<{ recipients: Recipient[]; none?: string }> {
  switch (recipients) {
    case 'primaryContact': {
      const contact = await primaryContact(db, account.id);
      if (!contact) return { recipients: [], none: `${account.name} has no contacts` };
      return {
        recipients: [{ email: contact.email, name: contact.name, contactId: contact.id, locale: contact.locale }],
      };
    }
    case 'allContacts': {
      const contacts = await listContacts(db, account.id);
      if (contacts.length === 0) return { recipients: [], none: `${account.name} has no contacts` };
      return {
        recipients: contacts.map((c) => ({ email: c.email, name: c.name, contactId: c.id, locale: c.locale })),
      };
    }
    case 'ownerCsm':
      if (!account.ownerCsmEmail) return { recipients: [], none: `${account.name} has no owner CSM` };
      return {
        recipients: [{ email: account.ownerCsmEmail, name: account.ownerCsmName, contactId: null, locale: null }],
      };
    default: {
      const never: never = recipients;
      throw new Error(`unknown recipients ${String(never)}`);
    }
  }
}

/** Read at the moment of sending, not when the step began: an unsubscribe a second ago counts. */
export async function isUnsubscribed(db: Db, contactId: string): Promise<boolean> {
  const row = await db.selectFrom('contacts').select('unsubscribed').where('id', '=', contactId).executeTakeFirst();
  // A contact deleted since the step began has left too.
  return row?.unsubscribed ?? true;
}
