import { z } from 'zod';
import { AccountFieldName, AccountFieldType, Segment } from '../playbook/account-fields.js';
import { TimeZone } from '../time/time-zone.js';

// Accounts and their contacts: the stored shapes the API answers with, and the inputs it accepts. The CSV import
// validates each row with these same schemas.

const required = (kind: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`),
});
const Text = (max: number) =>
  z
    .string(required('text'))
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

export const Locale = z.enum(['es', 'en'], { error: "must be 'es' or 'en'" });
export type Locale = z.infer<typeof Locale>;

export const IsoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, e.g. 2026-03-31' });
export const Email = z
  .email({
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an email address such as ana@acme.example'),
  })
  .max(254, { error: 'must be at most 254 characters' })
  // RFC 5321: a mailbox's local part is at most 64 octets; SMTP servers refuse longer ones at send time.
  .refine((address) => address.lastIndexOf('@') <= 64, {
    error: 'the part before @ must be at most 64 characters',
  });
const Mrr = z
  .number({ error: 'must be a number' })
  .min(0, { error: 'must not be negative' })
  .meta({ description: 'Monthly recurring revenue, in the install’s currency.' });

export const ExternalId = z
  .string(required('text'))
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .meta({ description: 'The customer’s own id for the account (CRM, billing); unique.' });

export const CustomFieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;
export const CustomFields = z.record(AccountFieldName, CustomFieldValue).meta({
  description: 'Values of the install’s declared custom fields (see /api/account-fields), checked against their types.',
});
export type CustomFields = z.infer<typeof CustomFields>;

// Every account property except the ids and timestamps; `null` means "no value".
const properties = {
  externalId: ExternalId,
  name: Text(200),
  segment: Segment.nullable(),
  ownerCsmName: Text(200).nullable(),
  ownerCsmEmail: Email.nullable(),
  csmManagerEmail: Email.nullable(),
  locale: Locale,
  timeZone: TimeZone,
  plan: Text(100).nullable(),
  mrr: Mrr.nullable(),
  startDate: IsoDate.nullable(),
  renewalDate: IsoDate.nullable(),
  lifecycleStage: Text(100).nullable(),
  custom: CustomFields,
};

export const Account = z
  .object({ id: z.uuid(), ...properties, createdAt: z.iso.datetime(), updatedAt: z.iso.datetime() })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof Account>;

/** The account's own properties: what an input sets and what `changed` names (custom fields by their own name). */
export type AccountProperties = Omit<Account, 'id' | 'createdAt' | 'updatedAt'>;
export const ACCOUNT_PROPERTIES = Object.keys(properties) as (keyof AccountProperties)[];

export const AccountInput = z
  .strictObject({
    externalId: properties.externalId,
    name: properties.name,
    segment: properties.segment.optional(),
    ownerCsmName: properties.ownerCsmName.optional(),
    ownerCsmEmail: properties.ownerCsmEmail.optional(),
    csmManagerEmail: properties.csmManagerEmail.optional(),
    locale: properties.locale.default('en'),
    timeZone: properties.timeZone.default('UTC'),
    plan: properties.plan.optional(),
    mrr: properties.mrr.optional(),
    startDate: properties.startDate.optional(),
    renewalDate: properties.renewalDate.optional(),
    lifecycleStage: properties.lifecycleStage.optional(),
    custom: properties.custom.default({}),
  })
  .meta({ id: 'AccountInput' });
export type AccountInput = z.infer<typeof AccountInput>;

/** What to change; absent properties stay. Custom fields merge: the ones named are set (null clears a value). */
export const AccountPatch = z
  .strictObject({
    externalId: properties.externalId.optional(),
    name: properties.name.optional(),
    segment: properties.segment.optional(),
    ownerCsmName: properties.ownerCsmName.optional(),
    ownerCsmEmail: properties.ownerCsmEmail.optional(),
    csmManagerEmail: properties.csmManagerEmail.optional(),
    locale: properties.locale.optional(),
    timeZone: properties.timeZone.optional(),
    plan: properties.plan.optional(),
    mrr: properties.mrr.optional(),
    startDate: properties.startDate.optional(),
    renewalDate: properties.renewalDate.optional(),
    lifecycleStage: properties.lifecycleStage.optional(),
    custom: properties.custom.optional(),
  })
  .meta({ id: 'AccountPatch' });
export type AccountPatch = z.infer<typeof AccountPatch>;

export const Contact = z
  .object({
    id: z.uuid(),
    accountId: z.uuid(),
    name: Text(200),
    email: Email,
    role: Text(100).nullable(),
    locale: Locale.nullable().meta({ description: 'Null: the account’s locale.' }),
    unsubscribed: z.boolean(),
    unsubscribedAt: z.iso.datetime().nullable(),
    primary: z.boolean().meta({
      description:
        'The one contact "primaryContact" emails go to. An account’s first contact is primary until another is made primary.',
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const ContactInput = z
  .strictObject({
    name: Contact.shape.name,
    email: Contact.shape.email,
    role: Contact.shape.role.optional(),
    locale: Contact.shape.locale.optional(),
    primary: z.boolean({ error: 'must be true or false' }).optional(),
    unsubscribed: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .meta({ id: 'ContactInput' });
export type ContactInput = z.infer<typeof ContactInput>;

export const ContactPatch = ContactInput.partial().meta({ id: 'ContactPatch' });
export type ContactPatch = z.infer<typeof ContactPatch>;

export const AccountFieldDeclaration = z
  .strictObject({
    name: AccountFieldName,
    type: AccountFieldType,
    label: Text(100).optional().meta({ description: 'How people see the field; the name when left out.' }),
  })
  .meta({ id: 'AccountFieldDeclaration' });
export type AccountFieldDeclaration = z.infer<typeof AccountFieldDeclaration>;

export const AccountFieldDefinition = z
  .object({ name: z.string(), type: AccountFieldType, label: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: 'AccountFieldDefinition' });
export type AccountFieldDefinition = z.infer<typeof AccountFieldDefinition>;
