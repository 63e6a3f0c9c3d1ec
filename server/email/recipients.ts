import type { Account } from '../../engine/accounts/schema.js';
import type { Effect } from '../../engine/interpreter/types.js';
import { listContacts, primaryContact } from '../accounts/contacts.js';
import { sql } from 'kysely';
import type { SentEmail } from '../../engine/governance/decide.js';
import type { Db } from '../db/database.js';
import { parseRunId } from '../playbooks/run-id.js';

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

/**
 * What decides whether a contact gets an email, read in one query at the moment of sending: whether they have
 * unsubscribed (a contact deleted since the step began has left too), and — when a frequency cap asks, `since` —
 * the playbook emails their address got since then (sent, or possibly sent), other than `exceptId`, each with its
 * playbook as its run's workflow id names it.
 */
export async function contactStanding(
  db: Db,
  contact: { id: string; email: string },
  cap?: { since: Date; exceptId: string },
): Promise<{ unsubscribed: boolean; sent: SentEmail[] }> {
  const sent = cap
    ? sql`(select json_agg(json_build_object('workflow_id', workflow_id, 'at', coalesce(sent_at, updated_at)))
           from email_outbox
           where recipient = ${contact.email.toLowerCase()} and state in ('sent', 'sending', 'uncertain')
             and updated_at >= ${cap.since}::timestamptz and id <> ${cap.exceptId}::uuid)`
    : sql`null`;
  const { rows } = await sql<{ unsubscribed: boolean | null; sent: { workflow_id: string; at: string }[] | null }>`
    select (select unsubscribed from contacts where id = ${contact.id}::uuid) as unsubscribed, ${sent} as sent`.execute(
    db,
  );
  const row = rows[0]!;
  return {
    unsubscribed: row.unsubscribed ?? true,
    sent: (row.sent ?? []).map((email) => ({
      at: new Date(email.at).getTime(),
      playbookKey: parseRunId(email.workflow_id)?.playbookKey,
    })),
  };
}
