import { z } from 'zod';

// Zones Intl accepted. Building a DateTimeFormat costs ~0.1 ms, which a 10,000-row import would pay three times per
// row; the cache is bounded because spellings are not (Intl ignores case).
const known = new Set<string>();

// Asks Intl, as Luxon does when a run computes local times: a zone accepted here is one the calendar can use.
export function isValidTimeZone(zone: string): boolean {
  if (known.has(zone)) return true;
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (known.size < 2000) known.add(zone);
  return true;
}

export const TimeZone = z
  .string()
  .refine(isValidTimeZone, { error: 'must be an IANA time zone such as Europe/Madrid' })
  .meta({ description: 'IANA time zone, e.g. America/Mexico_City: waits and send windows are local to it.' });
