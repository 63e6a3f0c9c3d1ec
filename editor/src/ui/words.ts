import { Info } from 'luxon';
import { Weekday } from '../../../engine/playbook/durations.js';

/**
 * An identifier from the schema in words: `waitForEvent` → "Wait for event", `ownerCsm` → "owner CSM". Labels
 * in the palette and the forms come from the schema's own names through this, so a new node type or option
 * needs no label list here.
 */
export function humanize(id: string, capital = false): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .replace(/\b(csm|url|id|nps|csat|ces|mrr)\b/g, (w) => w.toUpperCase());
  return capital ? words.charAt(0).toUpperCase() + words.slice(1) : words;
}

/** "Monday" for `mon`: the engine's weekday codes are Monday-first, like ISO and Luxon. */
export function weekdayName(code: string, style: 'long' | 'short' = 'long'): string {
  const index = (Weekday.options as readonly string[]).indexOf(code);
  return index < 0 ? code : (Info.weekdays(style, { locale: 'en' })[index] ?? code);
}
