import type { AccountFieldDefinition } from '../../../engine/accounts/schema.js';
import type { AccountFieldType } from '../../../engine/playbook/account-fields.js';
import type { CompileContext } from '../../../engine/playbook/ir.js';
import type { EmailLocale, LocalizedEmail } from '../../../engine/templates/schema.js';
import { api, getAllPages } from './client.js';

export interface TemplateRecord {
  key: string;
  name: string;
  description?: string;
  locales: Partial<Record<EmailLocale, LocalizedEmail>>;
  defaultLocale: EmailLocale;
  variables: string[];
  origin: 'shipped' | 'custom';
  edited: boolean;
  updatedAt: string;
}
export interface AccountFieldsAnswer {
  builtIn: { name: string; type: AccountFieldType; values?: string[]; computed?: boolean }[];
  custom: AccountFieldDefinition[];
}

/** What this install's playbooks are checked against: its templates and custom account fields. */
export interface Catalogue {
  templates: TemplateRecord[];
  customFields: AccountFieldDefinition[];
  /** The same context the server compiles with (server/playbooks/compile-context.ts), built from the API. */
  compileContext: CompileContext;
}

export async function loadCatalogue(signal?: AbortSignal): Promise<Catalogue> {
  const [templates, fields] = await Promise.all([
    getAllPages<TemplateRecord>('/api/templates', signal),
    allAccountFields(signal),
  ]);
  return {
    templates: templates.items,
    customFields: fields.custom,
    compileContext: {
      templates: Object.fromEntries(templates.items.map((t) => [t.key, { variables: t.variables }])),
      accountFields: Object.fromEntries(fields.custom.map((f) => [f.name, f.type])),
    },
  };
}

/** The built-in fields (first page) and every custom one, following `nextCursor` through the custom ones. */
async function allAccountFields(signal?: AbortSignal): Promise<AccountFieldsAnswer> {
  const first = await api.get<AccountFieldsAnswer & { nextCursor?: string | null }>('/api/account-fields', signal);
  const custom = [...first.custom];
  for (let cursor = first.nextCursor; cursor;) {
    const page = await api.get<AccountFieldsAnswer & { nextCursor?: string | null }>(
      `/api/account-fields?cursor=${encodeURIComponent(cursor)}`,
      signal,
    );
    custom.push(...page.custom);
    cursor = page.nextCursor;
  }
  return { builtIn: first.builtIn, custom };
}
