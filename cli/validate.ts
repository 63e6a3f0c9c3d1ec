import type { Issue } from '../engine/errors.js';
import { compilePlaybook, type CompiledPlaybook } from '../engine/playbook/index.js';
import type { Catalogue } from './fields.js';
import { formatIssue } from './format.js';
import { loadJsonFile } from './input.js';

export type Checked =
  | { file: string; ok: true; definition: unknown; playbook: CompiledPlaybook }
  | { file: string; ok: false; issues: Issue[] };

/**
 * Reads and compiles one definition file. An unreadable or non-JSON file is reported as an issue at `(file)`, so
 * every failure prints and serializes the same way. Custom account fields are checked against the catalogue when
 * there is one; without one, a field the built-ins do not know is left for the server to check (`unchecked`).
 * Templates are not checked here (no server to ask); publishing checks them.
 */
export function checkFile(file: string, catalogue?: Catalogue): Checked & { unchecked?: string[] } {
  const loaded = loadJsonFile(file);
  if (!loaded.ok) return { file, ok: false, issues: [{ path: '(file)', code: 'unreadable', message: loaded.reason }] };
  const checked = catalogue?.accountFields !== undefined;
  const result = compilePlaybook(loaded.value, checked ? { accountFields: catalogue.accountFields } : {});
  if (result.ok) return { file, ok: true, definition: loaded.value, playbook: result.playbook };
  if (checked) return { file, ok: false, issues: result.issues };
  // No catalogue: only "no such field" issues left means the definition is fine as far as can be told here.
  const unknown = result.issues.filter((issue) => issue.code === 'unknown_account_field');
  if (unknown.length === result.issues.length) {
    const guessed = customNames(unknown, loaded.value);
    const lenient = compilePlaybook(loaded.value, { accountFields: Object.fromEntries(guessed) });
    if (lenient.ok) {
      return {
        file,
        ok: true,
        definition: loaded.value,
        playbook: lenient.playbook,
        unchecked: guessed.map(([name]) => name),
      };
    }
  }
  return { file, ok: false, issues: result.issues };
}

type FieldType = 'string' | 'number' | 'boolean' | 'date';

/** The names "accounts have no field 'x'" issues name, each typed as the definition uses it. */
function customNames(issues: readonly Issue[], definition: unknown): [string, FieldType][] {
  const names = new Set(issues.flatMap((issue) => /accounts have no field '([^']+)'/.exec(issue.message)?.[1] ?? []));
  return [...names].map((name) => [name, usedAs(definition, name)]);
}

/**
 * How the definition uses a field it names: compared with a number → number, with true/false → boolean, counted
 * from (dateRelative, untilDate) or compared with a date → date; anything else → string.
 */
function usedAs(definition: unknown, name: string): FieldType {
  const pending: unknown[] = [definition];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (typeof value !== 'object' || value === null) continue;
    const record = value as Record<string, unknown>;
    if (record.field === name && 'offsetDays' in record) return 'date';
    if ((record.field === `account.${name}` || record.field === name) && 'value' in record) {
      const sample = Array.isArray(record.value) ? record.value[0] : record.value;
      if (typeof sample === 'number') return 'number';
      if (typeof sample === 'boolean') return 'boolean';
      if (typeof sample === 'string' && /^\d{4}-\d{2}-\d{2}/.test(sample)) return 'date';
      if (typeof sample === 'string') return 'string';
    }
    pending.push(...Object.values(record));
  }
  return 'string';
}

export function issueLines(checked: Extract<Checked, { ok: false }>): string[] {
  return checked.issues.map((issue) =>
    issue.path === '(file)' ? `${checked.file}: ${issue.message}` : formatIssue(checked.file, issue),
  );
}

export function validateCommand(files: readonly string[], options: { json: boolean; catalogue?: Catalogue }): number {
  const results = files.map((file) => checkFile(file, options.catalogue));
  if (options.json) {
    const report = results.map((r) => ({
      file: r.file,
      ok: r.ok,
      issues: r.ok ? [] : r.issues,
      ...(r.ok && r.unchecked && { uncheckedFields: r.unchecked }),
    }));
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const r of results) {
      if (r.ok) {
        console.log(`✓ ${r.file} — ${r.playbook.name} (${Object.keys(r.playbook.nodes).length} steps)`);
        if (r.unchecked) {
          console.log(
            `  custom fields not checked (no catalogue): ${r.unchecked.join(', ')} — pass --fields <file> or sign in to a server; publishing checks them`,
          );
        }
      } else for (const line of issueLines(r)) console.log(line);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
