import {
  SAMPLE_TEMPLATE_INPUT,
  templateVariables,
  type TemplateData,
  type TemplateValue,
} from '../email/templates/variables.js';
import { primaryContact } from '../accounts/contacts.js';
import { accountSnapshot, findAccount } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { ownerCsmOf } from '../people/csm-profiles.js';

// What the editor's preview renders with: a real account (its fields, primary contact and owner CSM) or a
// plausible sample, with any values the editor typed laid over either.

export interface SampleValues {
  account?: Record<string, TemplateValue>;
  contact?: { first_name?: string; name?: string; email?: string; locale?: string };
  csm?: { first_name?: string; name?: string; email?: string; booking_link?: string; signature?: string };
  run?: { playbook?: string; day?: number };
  /** Values an approval before the email decided, e.g. { discount: 15 } for {{ approval.discount }}. */
  approval?: Record<string, string | number>;
}

export interface PreviewData {
  variables: TemplateData;
  /** The recipient's locale, for the language choice (the account's is `variables.account.locale`). */
  contactLocale: string | null;
}

const defined = <T extends object>(values: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;

export async function previewData(
  db: Db,
  request: { accountId?: string; sample?: SampleValues },
): Promise<PreviewData> {
  let base: PreviewData;
  if (request.accountId) {
    const [account, snapshot, contact] = await Promise.all([
      findAccount(db, request.accountId),
      accountSnapshot(db, request.accountId),
      primaryContact(db, request.accountId),
    ]);
    base = {
      variables: templateVariables({
        account: { fields: snapshot.fields },
        contact: contact && { name: contact.name, email: contact.email },
        csm: await ownerCsmOf(db, account),
      }),
      contactLocale: contact?.locale ?? null,
    };
  } else {
    base = { variables: templateVariables(SAMPLE_TEMPLATE_INPUT), contactLocale: null };
  }
  const sample = request.sample ?? {};
  const { locale: contactLocale, ...contact } = defined(sample.contact);
  return {
    variables: {
      account: { ...base.variables.account, ...Object.fromEntries(Object.entries(sample.account ?? {})) },
      contact: { ...base.variables.contact, ...contact },
      csm: { ...base.variables.csm, ...defined(sample.csm) },
      run: { ...base.variables.run, ...defined(sample.run) },
      approval: { ...base.variables.approval, ...Object.fromEntries(Object.entries(sample.approval ?? {})) },
      trigger: base.variables.trigger,
    },
    contactLocale: contactLocale ?? base.contactLocale,
  };
}
