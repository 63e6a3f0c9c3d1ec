import { z } from 'zod';
import { TimeOfDay, Weekday } from '../playbook/durations.js';
import type { BusinessCalendar, SendWindowHours } from './calendar.js';

// The install's business calendars and send windows as an operator edits them: one for the install, overrides by
// segment and by account, and an account field that names the country whose public holidays apply. Runs and the
// preview both resolve them through `resolveCalendar` (server/settings/run-settings.ts adds the holiday dates, which
// come from a holiday library and so never from workflow code). Not imported by workflow code: zod lives here.

const LocalDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, e.g. 2026-12-24' });

/** ISO 3166 country, optionally with its region: MX, ES, ES-MD (Madrid), US-CA. */
export const HolidayCountry = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, { error: 'must be a country code such as MX, ES or ES-MD' })
  .meta({ description: 'ISO 3166 country (and optional region, ES-MD) whose public holidays are not business days.' });

const Weekend = z
  .array(Weekday)
  .max(6, { error: 'must leave at least one working day' })
  .refine((days) => new Set(days).size === days.length, { error: 'must not name a day twice' });

/** A company closure: every day from `from` to `to` (both included) is not a business day and sends nothing. */
export const Closure = z
  .strictObject({
    from: LocalDate,
    to: LocalDate,
    label: z.string().trim().max(100).default(''),
  })
  .refine((c) => c.from <= c.to, { path: ['to'], error: 'must be on or after the first day of the closure' })
  .refine((c) => Date.parse(c.to) - Date.parse(c.from) <= 366 * 86_400_000, {
    path: ['to'],
    error: 'a closure lasts at most a year',
  });
export type Closure = z.infer<typeof Closure>;

export const SendWindowRule = z
  .strictObject({
    days: z.array(Weekday).min(1, { error: 'must name at least one day' }),
    from: TimeOfDay,
    to: TimeOfDay,
  })
  .refine((w) => w.from < w.to, { path: ['to'], error: 'must be later than the start of the window' })
  .meta({ description: 'Days and local hours emails with the default send window go out; outside: quiet hours.' });
export type SendWindowRule = z.infer<typeof SendWindowRule>;

/** The install's calendar: every account has it unless a segment or the account itself says otherwise. */
export const InstallCalendar = z.strictObject({
  weekend: Weekend,
  holidayCountry: HolidayCountry.nullable(),
  closures: z.array(Closure).max(50),
  sendWindow: SendWindowRule,
});
export type InstallCalendar = z.infer<typeof InstallCalendar>;

/** What a segment or an account changes; a part left out keeps the one above it. Closures add to the install's. */
export const CalendarOverride = z.strictObject({
  weekend: Weekend.optional(),
  holidayCountry: HolidayCountry.nullable().optional(),
  closures: z.array(Closure).max(50).optional(),
  sendWindow: SendWindowRule.optional(),
});
export type CalendarOverride = z.infer<typeof CalendarOverride>;

const Key = z.string().trim().min(1, { error: 'must not be empty' }).max(200);
const Overrides = z
  .record(Key, CalendarOverride)
  .refine((r) => Object.keys(r).length <= 500, { error: 'at most 500 overrides' });

export const CalendarSettings = z
  .strictObject({
    install: InstallCalendar,
    countryField: z.string().trim().min(1).max(100).nullable().meta({
      description:
        'An account field holding a country code (e.g. country): where set and valid, its public holidays replace the install’s.',
    }),
    segments: Overrides.meta({ description: 'By account segment (high-touch, tech-touch…).' }),
    accounts: Overrides.meta({ description: 'By account id: the most specific, over its segment’s.' }),
  })
  .meta({ id: 'CalendarSettings' });
export type CalendarSettings = z.infer<typeof CalendarSettings>;

export const DEFAULT_CALENDAR_SETTINGS: CalendarSettings = {
  install: {
    weekend: ['sat', 'sun'],
    holidayCountry: null,
    closures: [],
    sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
  },
  countryField: null,
  segments: {},
  accounts: {},
};

/** One account's calendar before holiday dates are looked up, and where each part came from. */
export interface ResolvedCalendar {
  weekend: Weekday[];
  holidayCountry: string | null;
  closures: Closure[];
  sendWindow: SendWindowHours;
  /** "install", "segment high-touch", "account field country = MX", "account": most general first. */
  sources: string[];
}

/** The calendar that applies to an account: install, then its country field, then its segment, then the account. */
export function resolveCalendar(
  settings: CalendarSettings,
  account: { id: string; fields: Readonly<Record<string, unknown>> },
): ResolvedCalendar {
  const { install } = settings;
  const resolved: ResolvedCalendar = {
    weekend: [...install.weekend],
    holidayCountry: install.holidayCountry,
    closures: [...install.closures],
    sendWindow: install.sendWindow,
    sources: ['install'],
  };
  const country = settings.countryField ? account.fields[settings.countryField] : undefined;
  if (typeof country === 'string') {
    const parsed = HolidayCountry.safeParse(country);
    if (parsed.success) {
      resolved.holidayCountry = parsed.data;
      resolved.sources.push(`account field ${settings.countryField} = ${parsed.data}`);
    }
  }
  const apply = (override: CalendarOverride | undefined, source: string) => {
    if (!override) return;
    if (override.weekend) resolved.weekend = [...override.weekend];
    if (override.holidayCountry !== undefined) resolved.holidayCountry = override.holidayCountry;
    if (override.closures) resolved.closures.push(...override.closures);
    if (override.sendWindow) resolved.sendWindow = override.sendWindow;
    resolved.sources.push(source);
  };
  const segment = account.fields.segment;
  if (typeof segment === 'string') apply(settings.segments[segment], `segment ${segment}`);
  apply(settings.accounts[account.id], 'account');
  return resolved;
}

/** Every day of the closures, YYYY-MM-DD, in order and once each. */
export function closureDates(closures: readonly Closure[]): string[] {
  const days = new Set<string>();
  for (const closure of closures) {
    for (let t = Date.parse(closure.from); t <= Date.parse(closure.to); t += 86_400_000) {
      days.add(new Date(t).toISOString().slice(0, 10));
    }
  }
  return [...days].sort();
}

/** The run's calendar: the weekend, plus the holidays and closure days as one sorted list of local dates. */
export function businessCalendar(resolved: ResolvedCalendar, holidays: readonly string[]): BusinessCalendar {
  const days = new Set([...holidays, ...closureDates(resolved.closures)]);
  return { weekend: resolved.weekend, holidays: [...days].sort() };
}
