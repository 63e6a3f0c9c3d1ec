import { plural } from '../../../../engine/text/words.js';
// Dates and numbers as people read them, in the viewer's own time zone and language settings.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 Mar 2026, 10:00" in the viewer's zone. */
export const when = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');

/** A calendar day (YYYY-MM-DD) as written, without a zone shifting it to the day before. */
export const onDay = (day: string | null | undefined) => (day ? dateOnly.format(new Date(`${day}T00:00:00Z`)) : '—');

/** "in 3 hours", "2 days ago": the largest unit that is at least one. */
export function fromNow(iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds), 'second');
}

/** The UTC day of an instant, as the API's day filters take it. */
export const utcDay = (t: number | Date = Date.now()) => new Date(t).toISOString().slice(0, 10);

export const count = (n: number) => n.toLocaleString();

/** A count with its noun: "1 account", "1,204 accounts" (English plurals by `s`, or the plural given). */
export const counted = (n: number, one: string, many?: string) => `${count(n)} ${plural(n, one, many)}`;
