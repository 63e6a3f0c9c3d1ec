import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { checkEmailTemplate } from '../email/templates/check.js';
import { toIssues } from '../../engine/errors.js';
import { EmailLocale, EmailTemplate } from '../../engine/templates/schema.js';
import type { Db } from '../db/database.js';
import { packageRoot } from '../package-root.js';
import { templateChecksum } from './store.js';

// The templates Stayflow ships live in git as one Markdown file per template and language,
// `playbooks/templates/<key>.<locale>.md`: a short front matter (name, description, defaultLocale, subject) and
// the body, so an author edits an email as the email reads, without JSON's "\n" escapes. On start they are
// installed when absent; a shipped template nobody edited is updated to the shipped text; an edited one is kept.

export const SHIPPED_TEMPLATES_DIR = path.join(packageRoot, 'playbooks', 'templates');

const FRONT_MATTER_KEYS = ['name', 'description', 'defaultLocale', 'subject'] as const;
type FrontMatterKey = (typeof FRONT_MATTER_KEYS)[number];

export class ShippedTemplateError extends Error {}

export interface TemplateFile {
  key: string;
  locale: EmailLocale;
  front: Partial<Record<FrontMatterKey, string>>;
  body: string;
}

/**
 * Reads one `<key>.<locale>.md` file. The front matter is deliberately flat — `key: value` lines, a value written
 * as a JSON string when it needs leading spaces — so it needs no YAML parser and has one way to be written.
 */
export function parseTemplateFile(fileName: string, text: string): TemplateFile {
  const fail = (message: string) => new ShippedTemplateError(`${fileName}: ${message}`);
  const name = /^(.+)\.([a-z]{2})\.md$/.exec(fileName);
  const locale = EmailLocale.safeParse(name?.[2]);
  if (!name || !locale.success) throw fail('the file name must be <key>.<es|en>.md, e.g. welcome.es.md');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') throw fail('the file must start with a front matter block between --- lines');
  const end = lines.indexOf('---', 1);
  if (end === -1) throw fail('the front matter is not closed with a --- line');
  const front: Partial<Record<FrontMatterKey, string>> = {};
  for (const [index, line] of lines.slice(1, end).entries()) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const match = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (!match) throw fail(`line ${index + 2} is not "name: value"`);
    const [, key = '', raw = ''] = match;
    if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key)) {
      throw fail(`line ${index + 2}: unknown key '${key}' (use ${FRONT_MATTER_KEYS.join(', ')})`);
    }
    let value = raw.trim();
    if (value.startsWith('"')) {
      try {
        value = String(JSON.parse(value));
      } catch {
        throw fail(`line ${index + 2}: the quoted value is not a valid JSON string`);
      }
    }
    front[key as FrontMatterKey] = value;
  }
  return {
    key: name[1]!,
    locale: locale.data,
    front,
    body: lines
      .slice(end + 1)
      .join('\n')
      .trim(),
  };
}

/** Joins a template's language files into one template; name, description and defaultLocale must agree. */
export function templateFromFiles(files: TemplateFile[]): EmailTemplate {
  const key = files[0]?.key ?? '';
  const shared: Partial<Record<'name' | 'description' | 'defaultLocale', string>> = {};
  for (const file of files) {
    for (const field of ['name', 'description', 'defaultLocale'] as const) {
      const value = file.front[field];
      if (value === undefined) continue;
      if (shared[field] !== undefined && shared[field] !== value) {
        throw new ShippedTemplateError(`template '${key}': its files disagree on ${field}`);
      }
      shared[field] = value;
    }
  }
  const candidate = {
    key,
    ...shared,
    locales: Object.fromEntries(files.map((file) => [file.locale, { subject: file.front.subject, body: file.body }])),
  };
  const parsed = EmailTemplate.safeParse(candidate);
  if (!parsed.success) {
    const issues = toIssues(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
    throw new ShippedTemplateError(`template '${key}': ${issues.join('; ')}`);
  }
  const { issues } = checkEmailTemplate(parsed.data);
  if (issues.length > 0) {
    throw new ShippedTemplateError(`template '${key}': ${issues.map((issue) => issue.message).join('; ')}`);
  }
  return parsed.data;
}

/** Every shipped template, checked like a template saved through the API (built-in variables only). */
export async function loadShippedTemplates(dir = SHIPPED_TEMPLATES_DIR): Promise<EmailTemplate[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.md')).sort();
  const byKey = new Map<string, TemplateFile[]>();
  for (const name of names) {
    const file = parseTemplateFile(name, await readFile(path.join(dir, name), 'utf8'));
    byKey.set(file.key, [...(byKey.get(file.key) ?? []), file]);
  }
  return [...byKey.values()].map(templateFromFiles);
}

export interface InstallReport {
  installed: string[];
  updated: string[];
  /** Shipped templates this install has edited (or made itself under the same key): left as they are. */
  kept: string[];
}

/** Idempotent, and safe when several processes start at once: each write is conditional on what it replaces. */
export async function installShippedTemplates(db: Db, dir = SHIPPED_TEMPLATES_DIR): Promise<InstallReport> {
  const report: InstallReport = { installed: [], updated: [], kept: [] };
  for (const template of await loadShippedTemplates(dir)) {
    const checksum = templateChecksum(template);
    const { variables } = checkEmailTemplate(template);
    const values = {
      name: template.name,
      description: template.description ?? null,
      locales: JSON.stringify(template.locales),
      default_locale: template.defaultLocale,
      variables,
      checksum,
      shipped_checksum: checksum,
    };
    const inserted = await db
      .insertInto('email_templates')
      .values({ key: template.key, ...values })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      report.installed.push(template.key);
      continue;
    }
    // Replace only a shipped template still exactly as an earlier release shipped it.
    const updated = await db
      .updateTable('email_templates')
      .set({ ...values, updated_at: sql<Date>`now()` })
      .where('key', '=', template.key)
      .where('shipped_checksum', 'is not', null)
      .whereRef('checksum', '=', 'shipped_checksum')
      .where('checksum', '<>', checksum)
      .returning('key')
      .executeTakeFirst();
    if (updated) {
      report.updated.push(template.key);
      continue;
    }
    const row = await db
      .selectFrom('email_templates')
      .select(['checksum'])
      .where('key', '=', template.key)
      .executeTakeFirst();
    if (row?.checksum !== checksum) report.kept.push(template.key);
  }
  return report;
}
