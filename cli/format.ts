import { DateTime } from 'luxon';
import type { Issue } from '../engine/errors.js';
import type { TimelineEntry } from '../engine/interpreter/types.js';
import { plural } from '../engine/text/words.js';

/** `file: [nodeId] path: message`, the node id left out when the issue is not about one step. */
export function formatIssue(file: string, issue: Issue): string {
  return `${file}: ${issue.nodeId !== undefined ? `[${issue.nodeId}] ` : ''}${issue.path}: ${issue.message}`;
}

/** Left-aligned columns two spaces apart; trailing blanks trimmed. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The timeline as a table, with times in the account's time zone (`Tue 01 Dec 09:00`). */
export function timelineTable(timeline: readonly TimelineEntry[], timeZone: string): string {
  const local = timeline.map((entry) => DateTime.fromISO(entry.at, { zone: timeZone }).setLocale('en-US'));
  // A run that crosses into another year shows the year, so "Mon 04 Jan" is not ambiguous.
  const years = new Set(local.map((t) => t.year));
  const pattern = years.size > 1 ? 'ccc dd LLL yyyy HH:mm' : 'ccc dd LLL HH:mm';
  const rows = timeline.map((entry, index) => [
    String(entry.day),
    local[index]?.toFormat(pattern) ?? entry.at,
    entry.nodeId,
    entry.summary,
    entry.why,
  ]);
  return table(['day', 'at', 'step', 'what', 'why'], rows);
}

/** A whole number as people write it: 10,000. */
export const count = (n: number) => n.toLocaleString('en-US');

/** `n account(s)`, and so on: the noun in the plural unless there is exactly one. */
export const counted = (n: number, noun: string, many?: string) => `${count(n)} ${plural(n, noun, many)}`;
