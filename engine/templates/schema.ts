import { z } from 'zod';
import {
  accountFieldVocabulary,
  type AccountFieldSpec,
  type AccountFieldVocabulary,
} from '../playbook/account-fields.js';
import { TemplateKey } from '../playbook/nodes.js';

// An email template as CS ops write it: per locale a subject and a Markdown body with Liquid variables. This file
// is the single source for its shape (API bodies, the store, shipped files) and for the variables a template may
// use; the rendering lives in server/email/templates/.

export const EmailLocale = z.enum(['es', 'en']);
export type EmailLocale = z.infer<typeof EmailLocale>;

export const LOCALE_NAMES: Readonly<Record<EmailLocale, string>> = { es: 'Spanish', en: 'English' };

/** Source sizes a person writes by hand; far above a real email, far below what could hurt the renderer. */
export const MAX_SUBJECT_SOURCE = 500;
export const MAX_BODY_SOURCE = 50_000;

export const LocalizedEmail = z.strictObject({
  subject: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_SUBJECT_SOURCE, { error: `must be at most ${MAX_SUBJECT_SOURCE} characters` }),
  body: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(MAX_BODY_SOURCE, { error: `must be at most ${MAX_BODY_SOURCE} characters` })
    .refine((body) => body.trim().length > 0, { error: 'must not be empty' })
    .meta({ description: 'Markdown with Liquid variables, e.g. `Hola {{ contact.first_name }}`.' }),
});
export type LocalizedEmail = z.infer<typeof LocalizedEmail>;

const Locales = z
  .strictObject({ es: LocalizedEmail.optional(), en: LocalizedEmail.optional() })
  .refine((locales) => locales.es !== undefined || locales.en !== undefined, {
    error: 'needs at least one language (es or en)',
  });

const content = {
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(120),
  description: z.string().trim().max(500).optional(),
  locales: Locales,
  defaultLocale: EmailLocale.meta({
    description: 'Used when neither the contact nor the account has a locale this template is written in.',
  }),
};
const writesDefaultLocale = (template: {
  locales: Partial<Record<EmailLocale, unknown>>;
  defaultLocale: EmailLocale;
}) => template.locales[template.defaultLocale] !== undefined;
const defaultLocaleIssue = () => ({
  path: ['defaultLocale'],
  error: 'must be one of the languages the template is written in',
});

/** Everything of a template except its key (which the URL or the file name carries). */
export const EmailTemplateContent = z
  .strictObject(content)
  .refine(writesDefaultLocale, defaultLocaleIssue())
  .meta({ id: 'EmailTemplateContent' });
export type EmailTemplateContent = z.infer<typeof EmailTemplateContent>;

export const EmailTemplate = z
  .strictObject({ key: TemplateKey, ...content })
  .refine(writesDefaultLocale, defaultLocaleIssue())
  .meta({ id: 'EmailTemplate' });
export type EmailTemplate = z.infer<typeof EmailTemplate>;

/** The locales a template is written in, in a stable order. */
export function localesOf(template: Pick<EmailTemplateContent, 'locales'>): EmailLocale[] {
  return EmailLocale.options.filter((locale) => template.locales[locale] !== undefined);
}

// ---- The variables a template may use ----------------------------------------------------------------------

export const TEMPLATE_VARIABLE_GROUPS = ['account', 'contact', 'csm', 'run', 'approval', 'trigger'] as const;
export type TemplateVariableGroup = (typeof TEMPLATE_VARIABLE_GROUPS)[number];

export interface TemplateVariableSpec {
  description: string;
}

export type TemplateVocabulary = Readonly<
  Record<TemplateVariableGroup, Readonly<Record<string, TemplateVariableSpec>>>
>;

// Account variables mirror the account record, so they are camelCase like account fields in conditions
// ({{ account.renewalDate }}). The others exist only in templates and follow Liquid's snake_case habit
// ({{ csm.first_name }}). `links.*` is deliberately absent: the sender puts the unsubscribe link in the footer of
// every email, so no author can forget it or place it where a client hides it.
const ACCOUNT_RECORD: Record<string, TemplateVariableSpec> = {
  name: { description: "The account's name (the customer company)" },
  externalId: { description: "The account's id in your CRM or billing system" },
};
const ACCOUNT_FIELD_DESCRIPTIONS: Record<string, string> = {
  segment: 'high-touch, mid-touch or tech-touch',
  plan: 'The plan the account is on',
  mrr: 'Monthly recurring revenue',
  healthScore: 'Health score, 0–100',
  riskScore: 'Risk score, 0–100',
  riskLevel: 'high, medium or low',
  locale: 'The account’s language: es or en',
  lifecycleStage: 'Lifecycle stage, e.g. onboarding',
  renewalDate: 'Renewal date (YYYY-MM-DD; format it with | date: "%d/%m/%Y")',
  startDate: 'Customer since (YYYY-MM-DD)',
};
const CONTACT: Record<string, TemplateVariableSpec> = {
  first_name: { description: "The recipient's first name" },
  name: { description: "The recipient's full name" },
  email: { description: "The recipient's email address" },
};
const CSM: Record<string, TemplateVariableSpec> = {
  first_name: { description: "The account owner's (CSM's) first name" },
  name: { description: "The CSM's full name" },
  email: { description: "The CSM's email address" },
  booking_link: { description: "The CSM's meeting booking page, e.g. [Book a call]({{ csm.booking_link }})" },
  signature: { description: "The CSM's email signature (plain text, line breaks kept)" },
};
const RUN: Record<string, TemplateVariableSpec> = {
  playbook: { description: 'The name of the playbook sending the email' },
  day: { description: 'Days since the account entered the playbook (0 on the first day)' },
};
// `approval.*` is open here: its names are the parameters of the approval steps before the email
// ({{ approval.discount }}), which only the playbook knows — the compiler checks each email against those.
const APPROVAL: Record<string, TemplateVariableSpec> = {};
// What enrolled the run (RunTrigger in engine/interpreter/types.ts); `trigger.data.*` is the event's own data.
const TRIGGER: Record<string, TemplateVariableSpec> = {
  type: {
    description: 'What enrolled the run: event, fieldChanged, riskLevelEntered, dateRelative, playbook or manual',
  },
  event: { description: 'The event that enrolled the run, e.g. nps.answered' },
  data: { description: 'The data of that event, e.g. {{ trigger.data.score }}' },
  field: { description: 'The account field whose change enrolled the run' },
  from: { description: 'The value (or risk level) before the change' },
  to: { description: 'The value (or risk level) after the change' },
  score: { description: 'The risk score that moved the risk level' },
};

function describeAccountField(name: string, spec: AccountFieldSpec): TemplateVariableSpec {
  return { description: ACCOUNT_FIELD_DESCRIPTIONS[name] ?? `Custom account field (${spec.type})` };
}

/** Every variable a template may use: the fixed groups plus the install's account fields (built-in and custom). */
export function templateVocabulary(
  accountFields: AccountFieldVocabulary = accountFieldVocabulary(),
): TemplateVocabulary {
  const account: Record<string, TemplateVariableSpec> = Object.fromEntries(
    Object.entries(accountFields).map(([name, spec]) => [name, describeAccountField(name, spec)]),
  );
  return {
    account: Object.assign(account, ACCOUNT_RECORD),
    contact: CONTACT,
    csm: CSM,
    run: RUN,
    approval: APPROVAL,
    trigger: TRIGGER,
  };
}

export interface TemplateVariableProblem {
  /** `unknown_account_field` for `account.*` (the same code conditions use), else `unknown_template_variable`. */
  code: 'unknown_account_field' | 'unknown_template_variable';
  /** Completes "The 'Welcome' email uses {{x}} but …". */
  reason: string;
}

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** What Liquid lets a template ask of a single value: `{{ account.name.size }}`. */
const VALUE_PROPERTIES = new Set(['size', 'first', 'last']);
const GROUP_NOUNS: Record<TemplateVariableGroup, string> = {
  account: 'accounts',
  contact: 'contacts',
  csm: 'CSMs',
  run: 'runs',
  approval: 'approvals',
  trigger: 'triggers',
};

const own = <T>(record: Readonly<Record<string, T>>, name: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? Infinity;
}

/** The closest name, when it is close enough to be a typo (acount → account, firstname → first_name). */
function closest(name: string, candidates: readonly string[]): string | undefined {
  const normalized = (text: string) => text.toLowerCase().replace(/[_-]/g, '');
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(normalized(name), normalized(candidate));
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

function listed(names: readonly string[], conjunction: 'or' | 'and'): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}

/**
 * Why a variable path (as Liquid's static analysis writes it: `account.name`, `csm.booking_link`,
 * `account.name.size`) is not one a template may use; undefined when it is.
 */
export function templateVariableProblem(
  vocabulary: TemplateVocabulary,
  variable: string,
): TemplateVariableProblem | undefined {
  const unknown = (reason: string): TemplateVariableProblem => ({ code: 'unknown_template_variable', reason });
  const root = variable.split(/[.[]/, 1)[0] ?? '';
  if (root === 'links') {
    return unknown('the unsubscribe link is added to the footer of every email by Stayflow; templates do not place it');
  }
  const group = (TEMPLATE_VARIABLE_GROUPS as readonly string[]).includes(root)
    ? vocabulary[root as TemplateVariableGroup]
    : undefined;
  if (!group) {
    const guess = closest(root, TEMPLATE_VARIABLE_GROUPS);
    const hint = guess ? ` (did you mean {{${guess}${variable.slice(root.length)}}}?)` : '';
    return unknown(
      `there is no '${root}'${hint}: variables start with ${listed(
        TEMPLATE_VARIABLE_GROUPS.map((g) => `${g}.`),
        'or',
      )}`,
    );
  }
  const names = Object.keys(group);
  const open = root === 'approval';
  const example = open ? '{{approval.discount}}' : `{{${root}.${names.includes('name') ? 'name' : names[0]}}}`;
  const parts = variable.split('.');
  if (parts.some((part) => !SEGMENT.test(part))) {
    return unknown(`it picks a value by position or by a computed name; name the value instead, e.g. ${example}`);
  }
  const [, name, ...rest] = parts;
  if (name === undefined) return unknown(`'${root}' is a group of values; name one, e.g. ${example}`);
  if (!open && !own(group, name)) {
    const guess = closest(name, names);
    const hint = guess ? ` (did you mean {{${root}.${guess}}}?)` : '';
    if (root === 'account') return { code: 'unknown_account_field', reason: `accounts have no field '${name}'${hint}` };
    return unknown(
      `${GROUP_NOUNS[root as TemplateVariableGroup]} have no '${name}'${hint}; they have ${listed(names, 'and')}`,
    );
  }
  if (root === 'trigger' && name === 'data') return undefined; // the event's data has no declared schema
  if (rest.length > 1 || (rest.length === 1 && !VALUE_PROPERTIES.has(rest[0] ?? ''))) {
    return unknown(`${root}.${name} is a single value; it has no '${rest.join('.')}'`);
  }
  return undefined;
}

/** Whether a template may use this variable path. */
export function isKnownTemplateVariable(vocabulary: TemplateVocabulary, variable: string): boolean {
  return templateVariableProblem(vocabulary, variable) === undefined;
}
