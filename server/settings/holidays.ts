import Holidays from 'date-holidays';

// Public holidays by country from date-holidays (a maintained, data-only library), looked up here on the server and
// handed to runs as plain dates: workflow code stays deterministic and never loads the holiday data.

/** The kinds of holiday on which offices close: not observances, school days or optional ones. */
const CLOSED: ReadonlySet<string> = new Set(['public', 'bank']);
const catalogue = new Holidays();

/** "ES-MD" → Spain, region Madrid. Undefined when the library knows no such country or region. */
function split(code: string): { country: string; state?: string } | undefined {
  const [country, state] = code.toUpperCase().split('-') as [string, string | undefined];
  if (!(country in catalogue.getCountries())) return undefined;
  if (state !== undefined && !(state in (catalogue.getStates(country) ?? {}))) return undefined;
  return { country, ...(state && { state }) };
}

export const isKnownHolidayCountry = (code: string) => split(code) !== undefined;

export interface Holiday {
  date: string;
  name: string;
}

/**
 * Every enrollment of an account with a holiday country asks for the same few answers, and the library evaluates its
 * rules anew each time (70–250 ms for three years of US holidays on the bench machine): answers are kept, by code
 * and years — the data ships with the library, so they cannot change while the process runs.
 */
const kept = new Map<string, readonly Readonly<Holiday>[]>();
const KEPT = 500;

/** The public holidays of a country (or region) in the given years, in date order; none for an unknown code. */
export function publicHolidays(code: string, years: readonly number[]): Holiday[] {
  const key = `${code}|${years.join(',')}`;
  let found = kept.get(key);
  if (!found) {
    found = Object.freeze(lookUp(code, years).map((h) => Object.freeze(h)));
    if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, found);
  }
  return [...found];
}

function lookUp(code: string, years: readonly number[]): Holiday[] {
  const where = split(code);
  if (!where) return [];
  const library = where.state ? new Holidays(where.country, where.state) : new Holidays(where.country);
  const seen = new Map<string, string>();
  for (const year of years) {
    for (const h of library.getHolidays(year, 'en')) {
      const date = h.date.slice(0, 10);
      if (CLOSED.has(h.type) && !seen.has(date)) seen.set(date, h.name);
    }
  }
  return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name }));
}
