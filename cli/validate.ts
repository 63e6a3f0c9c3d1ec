import type { Issue } from '../engine/errors.js';
import { compilePlaybook, type CompiledPlaybook } from '../engine/playbook/index.js';
import { formatIssue } from './format.js';
import { loadJsonFile } from './input.js';

export type Checked =
  | { file: string; ok: true; definition: unknown; playbook: CompiledPlaybook }
  | { file: string; ok: false; issues: Issue[] };

/**
 * Reads and compiles one definition file. An unreadable or non-JSON file is reported as an issue at `(file)`, so
 * every failure prints and serializes the same way. Templates and custom account fields are not checked here (no
 * server to ask); publishing checks them.
 */
export function checkFile(file: string): Checked {
  const loaded = loadJsonFile(file);
  if (!loaded.ok) return { file, ok: false, issues: [{ path: '(file)', code: 'unreadable', message: loaded.reason }] };
  const result = compilePlaybook(loaded.value);
  return result.ok
    ? { file, ok: true, definition: loaded.value, playbook: result.playbook }
    : { file, ok: false, issues: result.issues };
}

export function issueLines(checked: Extract<Checked, { ok: false }>): string[] {
  return checked.issues.map((issue) =>
    issue.path === '(file)' ? `${checked.file}: ${issue.message}` : formatIssue(checked.file, issue),
  );
}

export function validateCommand(files: readonly string[], options: { json: boolean }): number {
  const results = files.map(checkFile);
  if (options.json) {
    const report = results.map((r) => ({ file: r.file, ok: r.ok, issues: r.ok ? [] : r.issues }));
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const r of results) {
      if (r.ok) console.log(`✓ ${r.file} — ${r.playbook.name} (${Object.keys(r.playbook.nodes).length} steps)`);
      else for (const line of issueLines(r)) console.log(line);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
