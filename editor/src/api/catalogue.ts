import type { AccountFieldDefinition } from '../../../engine/accounts/schema.js';
import type { AccountFieldType } from '../../../engine/playbook/account-fields.js';
import type { CompileContext } from '../../../engine/playbook/ir.js';
import type { EmailLocale, LocalizedEmail } from '../../../engine/templates/schema.js';
import { api, ApiError, getAllPages } from './client.js';

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

/** What this install's playbooks are checked against, and what the forms offer to pick from. */
export interface Catalogue {
  templates: TemplateRecord[];
  customFields: AccountFieldDefinition[];
  /**
   * What the server compiles with (GET /api/compile-context: templates, custom account fields, CSMs and teams), so
   * the editor reports as you type what saving would. `people` is absent for a caller who may not design playbooks.
   */
  compileContext: CompileContext;
}

export async function loadCatalogue(signal?: AbortSignal): Promise<Catalogue> {
  const [templates, fields, compileContext] = await Promise.all([
    getAllPages<TemplateRecord>('/api/templates', signal),
    allAccountFields(signal),
    serverCompileContext(signal),
  ]);
  return {
    templates: templates.items,
    customFields: fields.custom,
    compileContext: compileContext ?? readableContext(templates.items, fields.custom),
  };
}

/** The server's own compile context; undefined when the caller may not read it (only designers may: 403). */
async function serverCompileContext(signal?: AbortSignal): Promise<CompileContext | undefined> {
  try {
    return await api.get<CompileContext>('/api/compile-context', signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return undefined;
    throw error;
  }
}

/**
 * For a reader who may not design playbooks (nor save one): the part of the context everyone may read. It leaves
 * out the install's people, so their assignOwner steps are not checked against its CSMs and teams.
 */
function readableContext(templates: TemplateRecord[], custom: AccountFieldDefinition[]): CompileContext {
  return {
    templates: Object.fromEntries(templates.map((t) => [t.key, { variables: t.variables }])),
    accountFields: Object.fromEntries(custom.map((f) => [f.name, f.type])),
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
