import type { AccountPatch, AccountProperties, CustomFieldValue } from './schema.js';

/**
 * The account after a patch, and the names of what really changed — account properties by their own name, custom
 * fields by theirs (the names a run sees under `account.*`). Setting a value to what it already is changes
 * nothing, so a re-import of the same file reports every row unchanged and triggers no "field changed".
 */
export function applyAccountPatch(
  current: AccountProperties,
  patch: AccountPatch,
): { next: AccountProperties; changed: string[] } {
  const next: AccountProperties = { ...current, custom: { ...current.custom } };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch) as [keyof AccountPatch, unknown][]) {
    if (value === undefined || key === 'custom') continue;
    if (current[key] !== value) {
      (next as Record<string, unknown>)[key] = value;
      changed.push(key);
    }
  }
  for (const [field, value] of Object.entries(patch.custom ?? {}) as [string, CustomFieldValue][]) {
    const before = Object.prototype.hasOwnProperty.call(current.custom, field) ? current.custom[field] : undefined;
    if (before === value || (before === undefined && value === null)) continue;
    next.custom[field] = value;
    changed.push(field);
  }
  return { next, changed };
}
