// The data a template renders with, assembled from plain objects so that the sender (from a run, the account
// and its contacts) and the preview API (from an account or sample values) build it the same way.

export type TemplateValue = string | number | boolean | null;

export interface AccountInput {
  name?: string | null;
  externalId?: string | null;
  /** Account fields (segment, plan, mrr, renewalDate, … and custom ones). */
  fields?: Readonly<Record<string, unknown>> | null;
  /** Fields may also sit on the record itself ({ name, plan, renewalDate }); `fields` wins over them. */
  [field: string]: unknown;
}

export interface ContactInput {
  firstName?: string | null;
  name?: string | null;
  email?: string | null;
}

export interface CsmInput {
  firstName?: string | null;
  name?: string | null;
  email?: string | null;
  bookingLink?: string | null;
  signature?: string | null;
}

export interface RunInput {
  /** The playbook's name. */
  playbook?: string | null;
  /** Days since the account entered the playbook; 0 on the first day. */
  day?: number | null;
}

export interface TemplateVariablesInput {
  account?: AccountInput | null;
  contact?: ContactInput | null;
  csm?: CsmInput | null;
  run?: RunInput | null;
  /** The values approvals earlier in the run decided ({{ approval.discount }}). */
  approval?: Readonly<Record<string, string | number>> | null;
  /** What enrolled the run ({{ trigger.data.score }}, {{ trigger.to }}); see RunTrigger in engine/interpreter. */
  trigger?: Readonly<Record<string, unknown>> | null;
}

/** What `{{ … }}` reads: one object per group, named as the vocabulary in engine/templates/schema.ts names them. */
export interface TemplateData {
  account: Record<string, TemplateValue>;
  contact: { first_name: string; name: string; email: string };
  csm: { first_name: string; name: string; email: string; booking_link: string; signature: string };
  run: { playbook: string; day: number | null };
  approval: Record<string, TemplateValue>;
  trigger: Record<string, unknown>;
}

// Record keys that are plumbing, not something a template shows.
const NOT_FIELDS = new Set(['id', 'fields', 'contacts', 'createdAt', 'updatedAt']);

/** Dates become calendar dates (YYYY-MM-DD) for `| date`; objects and arrays are not template values. */
function valueOf(value: unknown): TemplateValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  return undefined;
}

const text = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() : '');
const firstWord = (name: string) => name.split(/\s+/, 1)[0] ?? '';

function accountData(account: AccountInput | null | undefined): Record<string, TemplateValue> {
  if (!account) return { name: '', externalId: null };
  const entries: [string, TemplateValue][] = [];
  const add = (source: Readonly<Record<string, unknown>>) => {
    for (const [key, raw] of Object.entries(source)) {
      const value = NOT_FIELDS.has(key) ? undefined : valueOf(raw);
      if (value !== undefined) entries.push([key, value]);
    }
  };
  add(account);
  if (account.fields) add(account.fields);
  // fromEntries defines own properties, so a field named __proto__ is data, not the object's prototype.
  return { name: '', externalId: null, ...Object.fromEntries(entries) };
}

export function templateVariables(input: TemplateVariablesInput): TemplateData {
  const contactName = text(input.contact?.name);
  const csmName = text(input.csm?.name);
  return {
    account: accountData(input.account),
    contact: {
      first_name: text(input.contact?.firstName) || firstWord(contactName),
      name: contactName || text(input.contact?.firstName),
      email: text(input.contact?.email),
    },
    csm: {
      first_name: text(input.csm?.firstName) || firstWord(csmName),
      name: csmName || text(input.csm?.firstName),
      email: text(input.csm?.email),
      booking_link: text(input.csm?.bookingLink),
      signature: text(input.csm?.signature) || csmName,
    },
    run: { playbook: text(input.run?.playbook), day: input.run?.day ?? null },
    // fromEntries: a parameter can never become the object's prototype, whatever its name.
    approval: Object.fromEntries(Object.entries(input.approval ?? {})),
    trigger: Object.fromEntries(Object.entries(input.trigger ?? {})),
  };
}

/** What the editor's preview shows when no account is chosen: a plausible customer, not lorem ipsum. */
export const SAMPLE_TEMPLATE_INPUT: TemplateVariablesInput = {
  account: {
    name: 'Transportes Álvarez',
    externalId: 'CRM-10482',
    fields: {
      segment: 'mid-touch',
      plan: 'Business',
      mrr: 1450,
      locale: 'es',
      lifecycleStage: 'onboarding',
      healthScore: 72,
      riskScore: 28,
      riskLevel: 'low',
      startDate: '2026-01-12',
      renewalDate: '2027-01-12',
    },
  },
  contact: { firstName: 'Lucía', name: 'Lucía Álvarez', email: 'lucia.alvarez@example.com' },
  csm: {
    firstName: 'Marta',
    name: 'Marta Ruiz',
    email: 'marta.ruiz@example.com',
    bookingLink: 'https://meet.example.com/marta-ruiz',
    signature: 'Marta Ruiz\nCustomer Success Manager',
  },
  run: { playbook: 'Onboarding, day 0–30', day: 0 },
  trigger: { type: 'event', event: 'nps.answered', data: { score: 9 } },
};
