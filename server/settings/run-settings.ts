import type { RunSettings } from '../../engine/interpreter/types.js';
import {
  CalendarSettings,
  DEFAULT_CALENDAR_SETTINGS,
  businessCalendar,
  resolveCalendar,
  type ResolvedCalendar,
} from '../../engine/time/calendar-settings.js';
import { ContactGovernance, DEFAULT_GOVERNANCE } from '../../engine/governance/schema.js';
import type { Db } from '../db/database.js';
import { capRule, type FrequencyCap } from '../email/frequency-cap.js';
import { publicHolidays } from './holidays.js';
import { readSection } from './store.js';

// What a run keeps from the install's settings. The one resolution both enrollment (server/playbooks/runs.ts) and
// the preview (POST /api/playbooks/:id/simulate) use, so a preview plans the days a run will keep.

/** Years of holidays a run carries: its start year and the two after (a renewal cadence spans a year boundary). */
const YEARS_AHEAD = 2;

export const calendarSettings = (db: Db) => readSection(db, 'calendars', CalendarSettings, DEFAULT_CALENDAR_SETTINGS);

export interface AccountRunSettings {
  settings: RunSettings;
  resolved: ResolvedCalendar;
}

/** The account's calendar and send window, with the holiday dates of its country for the years a run may reach. */
export async function accountRunSettings(
  db: Db,
  account: { id: string; fields: Readonly<Record<string, unknown>> },
  startAt: Date = new Date(),
): Promise<AccountRunSettings> {
  const { value } = await calendarSettings(db);
  const resolved = resolveCalendar(value, account);
  const year = startAt.getUTCFullYear();
  const years = Array.from({ length: YEARS_AHEAD + 1 }, (_, i) => year + i);
  const holidays = resolved.holidayCountry ? publicHolidays(resolved.holidayCountry, years).map((h) => h.date) : [];
  // Closures outside the years a run may reach would only make the workflow's input longer.
  const calendar = businessCalendar(resolved, holidays);
  const [first, last] = [`${years[0]}-01-01`, `${years.at(-1)}-12-31`];
  calendar.holidays = calendar.holidays.filter((day) => day >= first && day <= last);
  return { settings: { calendar, sendWindow: resolved.sendWindow }, resolved };
}

/** `RunSettings` for an enrollment or a preview; undefined without a database (the engine's defaults then). */
export async function runSettingsFor(
  db: Db | undefined,
  account: { id: string; fields: Readonly<Record<string, unknown>> },
  startAt?: Date,
): Promise<RunSettings | undefined> {
  return db ? (await accountRunSettings(db, account, startAt)).settings : undefined;
}

/** Governance as shipped, with MAIL_FREQUENCY_CAP as its cap (parsed; undefined: "off", no cap). */
export function defaultGovernance(envCap: FrequencyCap | undefined): ContactGovernance {
  return { ...DEFAULT_GOVERNANCE, frequencyCap: envCap ? capRule(envCap) : null };
}

export const governanceSettings = (db: Db, envCap: FrequencyCap | undefined) =>
  readSection(db, 'governance', ContactGovernance, defaultGovernance(envCap));
