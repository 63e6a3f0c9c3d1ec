import type { CalendarSettings } from '../../engine/time/calendar-settings.js';
import type { ContactGovernance } from '../../engine/governance/schema.js';
import type { AuditActor } from '../audit/log.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../errors.js';
import { accountSnapshot, findAccount } from '../accounts/store.js';
import type { FrequencyCap } from '../email/frequency-cap.js';
import { isKnownHolidayCountry, publicHolidays } from './holidays.js';
import { accountRunSettings, calendarSettings, governanceSettings } from './run-settings.js';
import { writeSection } from './store.js';

// Reading and saving the install's calendars and contact governance. The shapes were checked by their engine
// schemas at the API; what only the server can check (a holiday country the library knows) is checked here, before
// anything is written.

export const getCalendars = calendarSettings;
export const getGovernance = governanceSettings;

function unknownCountries(settings: CalendarSettings): string[] {
  const codes = [
    settings.install.holidayCountry,
    ...Object.values(settings.segments).map((o) => o.holidayCountry),
    ...Object.values(settings.accounts).map((o) => o.holidayCountry),
  ].filter((c): c is string => typeof c === 'string');
  return [...new Set(codes)].filter((code) => !isKnownHolidayCountry(code));
}

export async function saveCalendars(db: Db, settings: CalendarSettings, actor: AuditActor) {
  const unknown = unknownCountries(settings);
  if (unknown.length > 0) {
    throw new DomainError(
      'unprocessable',
      'unknown_holiday_country',
      `No public holidays are known for ${unknown.join(', ')}: use an ISO country code such as MX, ES or ES-MD`,
      unknown.map((code) => ({
        path: 'holidayCountry',
        code: 'unknown_holiday_country',
        message: `unknown country or region: ${code}`,
      })),
    );
  }
  await writeSection(db, 'calendars', settings, actor);
  return getCalendars(db);
}

export async function saveGovernance(
  db: Db,
  governance: ContactGovernance,
  actor: AuditActor,
  envCap: FrequencyCap | undefined,
) {
  await writeSection(db, 'governance', governance, actor);
  return getGovernance(db, envCap);
}

/** The public holidays of a country in a year, for the settings page to show what a country code means. */
export function holidaysOf(country: string, year: number) {
  if (!isKnownHolidayCountry(country)) {
    throw new DomainError('unprocessable', 'unknown_holiday_country', `No public holidays are known for ${country}`);
  }
  return publicHolidays(country, [year]);
}

/** An account's calendar as its next run would keep it: where each part comes from, and the days it skips. */
export async function accountCalendar(db: Db, accountId: string, now: Date = new Date()) {
  const account = await findAccount(db, accountId);
  const snapshot = await accountSnapshot(db, account.id);
  const { settings, resolved } = await accountRunSettings(db, snapshot, now);
  return {
    accountId: account.id,
    timeZone: account.timeZone,
    sources: resolved.sources,
    weekend: settings.calendar.weekend,
    holidayCountry: resolved.holidayCountry,
    closedDays: settings.calendar.holidays,
    sendWindow: settings.sendWindow,
  };
}
