import { definitionOf, draftFrom, type Draft } from '../canvas/draft.js';

/** Downloads the draft as `<key>.json`: the definition the API, the CLI and git take, nothing of the canvas. */
export function exportDefinition(draft: Draft) {
  const blob = new Blob([`${JSON.stringify(definitionOf(draft), null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${draft.key}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Reads a definition file into this playbook. The key stays this playbook's (a file exported from another
 * playbook imports as a copy of its steps and settings); answers what a person should know about it.
 */
export async function importDefinition(file: File, key: string): Promise<{ draft: Draft; note?: string }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await file.text()) as unknown;
  } catch (error) {
    throw new Error(`${file.name} is not JSON: ${(error as Error).message}`);
  }
  const draft = draftFrom(raw, key);
  const theirs = (raw as { key?: unknown } | null)?.key;
  return {
    draft: { ...draft, key },
    ...(typeof theirs === 'string' && theirs !== key
      ? { note: `Imported from playbook ${theirs}; kept this playbook's key ${key}.` }
      : {}),
  };
}
