import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { toIssues } from '../engine/errors.js';
import { UsageError } from './usage.js';

export { UsageError };

export type Loaded = { ok: true; value: unknown } | { ok: false; reason: string };

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function readReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return `cannot read it (${oneLine(error instanceof Error ? error.message : String(error))})`;
}

function parseJson(text: string): Loaded {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${oneLine(error instanceof Error ? error.message : String(error))})` };
  }
}

/** Reads and parses a JSON file; never throws, the reason is one line without the file name. */
export function loadJsonFile(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, reason: readReason(error) };
  }
  // Editors on Windows like to start UTF-8 files with a byte-order mark; JSON.parse does not.
  return parseJson(text.replace(/^\uFEFF/, ''));
}

/** An option given as inline JSON or as `@path/to/file.json`, checked against `schema`; throws UsageError. */
export function jsonOption<Schema extends z.ZodType>(
  option: string,
  raw: string,
  schema: Schema,
  hint = '',
): z.infer<Schema> {
  const loaded = raw.startsWith('@') ? loadJsonFile(raw.slice(1)) : parseJson(raw);
  if (!loaded.ok) {
    throw new UsageError(`--${option}${raw.startsWith('@') ? ` ${raw}` : ''}: ${loaded.reason}`);
  }
  const parsed = schema.safeParse(loaded.value);
  if (!parsed.success) {
    const problems = toIssues(parsed.error)
      .map((issue) => (issue.path === '(root)' ? issue.message : `${issue.path}: ${issue.message}`))
      .join('; ');
    throw new UsageError(`--${option} is not valid: ${problems}${hint}`);
  }
  return parsed.data;
}
