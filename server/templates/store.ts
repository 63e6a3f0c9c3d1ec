import { sql, type Selectable } from 'kysely';
import { checkEmailTemplate, type TemplateCheck } from '../email/templates/check.js';
import { renderProblems } from '../email/templates/render-check.js';
import type { Issue } from '../../engine/errors.js';
import { accountFieldVocabulary } from '../../engine/playbook/account-fields.js';
import { canonicalJson, fnv1a64 } from '../../engine/playbook/checksum.js';
import type { CompileContext } from '../../engine/playbook/ir.js';
import type { EmailLocale, EmailTemplate, EmailTemplateContent } from '../../engine/templates/schema.js';
import { compileAccountFields } from '../accounts/field-definitions.js';
import { DomainError, notFound } from '../errors.js';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';
import type { EmailTemplatesTable } from '../db/schema.js';

// Email templates in the app database. Saving one parses every language's subject and body and refuses unknown
// variables, so a stored template always renders; its variables are kept for the playbook compiler.

export interface TemplateRecord extends EmailTemplate {
  /** Every variable the template reads, in any language. */
  variables: string[];
  /** `shipped`: installed from playbooks/templates/ (and perhaps edited since); `custom`: made in this install. */
  origin: 'shipped' | 'custom';
  /** A shipped template changed here; new releases leave it as it is. */
  edited: boolean;
  updatedAt: string;
}

export class InvalidTemplateError extends DomainError {
  constructor(issues: Issue[]) {
    const first = issues[0];
    super(
      'unprocessable',
      'invalid_template',
      `The template has ${issues.length} problem${issues.length === 1 ? '' : 's'} to fix${first ? ` — ${first.message}` : ''}`,
      issues,
    );
  }
}

/** Fingerprint of what a template says (not of when or by whom it was saved). */
export function templateChecksum(content: EmailTemplateContent): string {
  const { name, description, locales, defaultLocale } = content;
  return fnv1a64(canonicalJson({ name, description, locales, defaultLocale }));
}

function toRecord(row: Selectable<EmailTemplatesTable>): TemplateRecord {
  return {
    key: row.key,
    name: row.name,
    ...(row.description === null ? {} : { description: row.description }),
    locales: row.locales as EmailTemplate['locales'],
    defaultLocale: row.default_locale as EmailLocale,
    variables: row.variables,
    origin: row.shipped_checksum === null ? 'custom' : 'shipped',
    edited: row.shipped_checksum !== null && row.shipped_checksum !== row.checksum,
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listTemplates(db: Db): Promise<TemplateRecord[]> {
  return (await db.selectFrom('email_templates').selectAll().orderBy('key').execute()).map(toRecord);
}

/** Templates by key a page at a time (keys are unique). */
export async function pageTemplates(db: Db, page: { limit: number; cursor?: string }) {
  return keysetPage(db.selectFrom('email_templates').selectAll(), page, {
    order: 'asc',
    keys: [['key', 'text']],
    item: toRecord,
  });
}

export async function findTemplate(db: Db, key: string): Promise<TemplateRecord> {
  const row = await db.selectFrom('email_templates').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) throw notFound(`Email template '${key}'`);
  return toRecord(row);
}

/**
 * Checks a template against this install's variables (built-in and custom account fields), then renders it for a
 * sample account within the render budget; throws a 422 listing every problem with its language and part
 * (`locales.es.body`).
 */
export async function checkTemplateForInstall(db: Db, content: EmailTemplateContent): Promise<TemplateCheck> {
  const check = checkEmailTemplate(content, accountFieldVocabulary(await compileAccountFields(db)));
  if (check.issues.length > 0) throw new InvalidTemplateError(check.issues);
  // Only a template that parses is rendered: the sample render catches what parsing cannot (loops, sizes).
  const rendering = await renderProblems(content);
  if (rendering.length > 0) throw new InvalidTemplateError(rendering);
  return check;
}

/** Creates or replaces the template with this key. A shipped template saved here counts as edited. */
export async function saveTemplate(
  db: Db,
  key: string,
  content: EmailTemplateContent,
): Promise<{ template: TemplateRecord; created: boolean }> {
  const { variables } = await checkTemplateForInstall(db, content);
  const existed = await db.selectFrom('email_templates').select('key').where('key', '=', key).executeTakeFirst();
  const values = {
    name: content.name,
    description: content.description ?? null,
    locales: JSON.stringify(content.locales),
    default_locale: content.defaultLocale,
    variables,
    checksum: templateChecksum(content),
  };
  const row = await db
    .insertInto('email_templates')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { template: toRecord(row), created: !existed };
}

/** The templates as the playbook compiler sees them: each key with the variables it reads. */
export async function templateCompileContext(db: Db): Promise<NonNullable<CompileContext['templates']>> {
  const rows = await db.selectFrom('email_templates').select(['key', 'variables']).execute();
  return Object.fromEntries(rows.map((row) => [row.key, { variables: row.variables }]));
}
