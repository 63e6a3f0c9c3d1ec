import { z } from 'zod';

export const Segment = z.enum(['high-touch', 'mid-touch', 'tech-touch']);
export type Segment = z.infer<typeof Segment>;

export const RiskLevel = z.enum(['high', 'medium', 'low']);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const AccountFieldType = z.enum(['string', 'number', 'boolean', 'date']);
export type AccountFieldType = z.infer<typeof AccountFieldType>;

export interface AccountFieldSpec {
  type: AccountFieldType;
  /** The only values the field can hold, when it is an enumeration. */
  values?: readonly string[];
  /** Computed by the scorecard from signals; a playbook that overwrote it would be undone at the next sweep. */
  computed?: boolean;
}

/** The account fields every Stayflow install has. Custom fields come from the compile context. */
export const BUILT_IN_ACCOUNT_FIELDS: Readonly<Record<string, AccountFieldSpec>> = {
  segment: { type: 'string', values: Segment.options },
  plan: { type: 'string' },
  mrr: { type: 'number' },
  healthScore: { type: 'number', computed: true },
  riskScore: { type: 'number', computed: true },
  riskLevel: { type: 'string', values: RiskLevel.options, computed: true },
  locale: { type: 'string', values: ['es', 'en'] },
  lifecycleStage: { type: 'string' },
  renewalDate: { type: 'date' },
  startDate: { type: 'date' },
};

export type AccountFieldVocabulary = Readonly<Record<string, AccountFieldSpec>>;

/** Built-in fields plus the install's custom ones; a custom field never redefines a built-in. */
export function accountFieldVocabulary(
  custom: Readonly<Record<string, AccountFieldType>> = {},
): AccountFieldVocabulary {
  const vocabulary: Record<string, AccountFieldSpec> = {};
  for (const [name, type] of Object.entries(custom)) vocabulary[name] = { type };
  return Object.assign(vocabulary, BUILT_IN_ACCOUNT_FIELDS);
}

/** Looks a field up without falling into Object.prototype (`constructor`, `toString`…). */
export function accountField(vocabulary: AccountFieldVocabulary, name: string): AccountFieldSpec | undefined {
  return Object.prototype.hasOwnProperty.call(vocabulary, name) ? vocabulary[name] : undefined;
}

// Account field names in definitions: a plain identifier (the account record is flat).
export const AccountFieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an account field name such as renewalDate' });
