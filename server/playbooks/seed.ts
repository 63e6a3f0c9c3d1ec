import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../../engine/errors.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import { isDomainError } from '../errors.js';
import type { Db } from '../db/database.js';
import { packageRoot } from '../package-root.js';
import { compileContext } from './compile-context.js';
import { createPlaybook, publishDraft } from './store.js';

// The playbooks Stayflow ships (onboarding, rescues, renewal, NPS follow-ups) live in git as definition JSON,
// `playbooks/seed/<key>.json`. A new install gets each one created and published as version 1 at start, so it runs
// from day one. Once a playbook with that key exists — as shipped, edited, republished or made by hand — it is the
// install's own and is never touched again: a later release's seed does not overwrite anybody's work.

export const SEED_PLAYBOOKS_DIR = path.join(packageRoot, 'playbooks', 'seed');

export class SeedPlaybookError extends Error {}

/**
 * Shipped playbooks that replace earlier ones: an install that has any of the old keys keeps them and does not get
 * the new one too (an NPS answer would otherwise be followed up twice). Its owner can archive the old ones and
 * create the new one from `playbooks/seed/` when they choose.
 */
const REPLACES: Readonly<Record<string, readonly string[]>> = {
  'nps-follow-up': ['nps-promoters', 'nps-passives', 'nps-detractors'],
};

/** Every seed definition, by file name order; a file that is not JSON is a packaging bug and stops the start. */
export async function loadSeedPlaybooks(dir = SEED_PLAYBOOKS_DIR): Promise<{ file: string; definition: unknown }[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
  const seeds: { file: string; definition: unknown }[] = [];
  for (const name of names) {
    const text = await readFile(path.join(dir, name), 'utf8');
    try {
      seeds.push({ file: name, definition: JSON.parse(text) as unknown });
    } catch (error) {
      throw new SeedPlaybookError(`${name}: not valid JSON (${(error as Error).message})`);
    }
  }
  return seeds;
}

export interface SeedReport {
  /** Created and published as version 1 now. */
  installed: string[];
  /** Already there (shipped earlier, edited or the install's own under that key): left as they are. */
  kept: string[];
  /** Did not compile against this install (e.g. a template it uses was deleted): not created, with why. */
  failed: { file: string; issues: Issue[] }[];
}

/**
 * Creates and publishes each absent seed playbook. Idempotent, and safe when several processes start at once:
 * creating a key that another process just created is a conflict, which means "already there".
 * Call it after the shipped templates are installed: publishing checks every email step against them.
 */
export async function installSeedPlaybooks(db: Db, dir = SEED_PLAYBOOKS_DIR): Promise<SeedReport> {
  const report: SeedReport = { installed: [], kept: [], failed: [] };
  const existing = new Set((await db.selectFrom('playbooks').select('key').execute()).map((row) => row.key));
  const context = await compileContext(db);
  for (const { file, definition } of await loadSeedPlaybooks(dir)) {
    const compiled = compilePlaybook(definition, context);
    if (!compiled.ok) {
      report.failed.push({ file, issues: compiled.issues });
      continue;
    }
    const { key } = compiled.playbook;
    if (existing.has(key) || (REPLACES[key] ?? []).some((old) => existing.has(old))) {
      report.kept.push(key);
      continue;
    }
    try {
      await createPlaybook(db, definition);
    } catch (error) {
      if (isDomainError(error, 'conflict')) {
        report.kept.push(key);
        continue;
      }
      throw error;
    }
    await publishDraft(db, key);
    report.installed.push(key);
  }
  return report;
}
