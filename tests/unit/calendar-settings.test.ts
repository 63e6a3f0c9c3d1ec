import { describe, expect, it } from 'vitest';
import {
  CalendarSettings,
  DEFAULT_CALENDAR_SETTINGS,
  businessCalendar,
  closureDates,
  resolveCalendar,
} from '../../engine/time/calendar-settings.js';
import { addDuration, fitSendWindow } from '../../engine/time/calendar.js';
import { isKnownHolidayCountry, publicHolidays } from '../../server/settings/holidays.js';

// Business calendars as an operator sets them (install, account country field, segment, account) and as a run keeps
// them: weekends, public holidays from the holiday library, company closures, and the send window.

const settings = CalendarSettings.parse({
  install: {
    weekend: ['sat', 'sun'],
    holidayCountry: 'ES',
    closures: [{ from: '2026-12-24', to: '2026-12-26', label: 'Christmas closure' }],
    sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
  },
  countryField: 'country',
  segments: {
    'tech-touch': { sendWindow: { days: ['tue', 'wed', 'thu'], from: '10:00', to: '12:00' } },
    'gulf-accounts': { weekend: ['fri', 'sat'], holidayCountry: 'AE' },
  },
  accounts: {
    'acct-night-owl': { sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '19:00', to: '21:00' } },
  },
});

describe('resolving an account’s calendar', () => {
  it('gives an account with nothing special the install’s calendar', () => {
    const r = resolveCalendar(settings, { id: 'a', fields: {} });
    expect(r).toMatchObject({ weekend: ['sat', 'sun'], holidayCountry: 'ES', sources: ['install'] });
    expect(r.sendWindow).toEqual(settings.install.sendWindow);
  });

  it('takes the holiday country from the account field, then the segment, then the account, most specific last', () => {
    const mexican = resolveCalendar(settings, { id: 'a', fields: { country: 'mx', segment: 'tech-touch' } });
    expect(mexican.holidayCountry).toBe('MX');
    expect(mexican.sendWindow).toEqual({ days: ['tue', 'wed', 'thu'], from: '10:00', to: '12:00' });
    expect(mexican.sources).toEqual(['install', 'account field country = MX', 'segment tech-touch']);

    const gulf = resolveCalendar(settings, { id: 'acct-night-owl', fields: { segment: 'gulf-accounts' } });
    expect(gulf).toMatchObject({ weekend: ['fri', 'sat'], holidayCountry: 'AE' });
    expect(gulf.sendWindow.from).toBe('19:00');
    expect(gulf.sources).toEqual(['install', 'segment gulf-accounts', 'account']);
  });

  it('ignores a country field that holds no country code', () => {
    expect(resolveCalendar(settings, { id: 'a', fields: { country: 'Spain' } }).holidayCountry).toBe('ES');
  });

  it('spells out closures day by day and merges them with the holidays, once each and in order', () => {
    expect(closureDates([{ from: '2026-12-30', to: '2027-01-02', label: '' }])).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    const calendar = businessCalendar(resolveCalendar(settings, { id: 'a', fields: {} }), ['2026-12-25', '2026-12-08']);
    expect(calendar.holidays).toEqual(['2026-12-08', '2026-12-24', '2026-12-25', '2026-12-26']);
  });

  it('ships as the engine’s defaults: weekends only, Mon–Fri 09–18', () => {
    const r = resolveCalendar(DEFAULT_CALENDAR_SETTINGS, { id: 'a', fields: { segment: 'tech-touch' } });
    expect(businessCalendar(r, [])).toEqual({ weekend: ['sat', 'sun'], holidays: [] });
    expect(r.sendWindow).toEqual({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' });
  });
});

describe('the calendar settings schema refuses what a run could not keep', () => {
  const problems = (patch: Record<string, unknown>) => {
    const result = CalendarSettings.safeParse({ ...DEFAULT_CALENDAR_SETTINGS, ...patch });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('a window that ends before it starts, a closure that ends before it begins, a week of weekend, a bad country', () => {
    const install = DEFAULT_CALENDAR_SETTINGS.install;
    expect(problems({ install: { ...install, sendWindow: { days: ['mon'], from: '18:00', to: '09:00' } } })).toEqual([
      'install.sendWindow.to: must be later than the start of the window',
    ]);
    expect(problems({ install: { ...install, closures: [{ from: '2026-08-31', to: '2026-08-01' }] } })).toEqual([
      'install.closures.0.to: must be on or after the first day of the closure',
    ]);
    expect(problems({ install: { ...install, weekend: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } })).toEqual([
      'install.weekend: must leave at least one working day',
    ]);
    expect(problems({ install: { ...install, holidayCountry: 'Spain' } })).toEqual([
      'install.holidayCountry: must be a country code such as MX, ES or ES-MD',
    ]);
    expect(problems({ install: { ...install, closures: [{ from: '2026-02-30', to: '2026-03-01' }] } })).toHaveLength(1);
  });
});

describe('public holidays from the holiday library', () => {
  it('knows a country’s and a region’s public holidays, not its observances', () => {
    const mx = publicHolidays('MX', [2026]).map((h) => h.date);
    expect(mx).toContain('2026-09-16'); // Independence Day
    expect(mx).toContain('2026-12-25');
    const madrid = publicHolidays('ES-MD', [2026]).map((h) => h.date);
    expect(madrid).toContain('2026-05-02'); // Comunidad de Madrid day: Madrid only
    expect(publicHolidays('ES', [2026]).map((h) => h.date)).not.toContain('2026-05-02');
    expect(madrid).not.toContain('2026-05-03'); // Mother's Day is an observance, offices are open
  });

  it('covers every year asked, and knows no country XX', () => {
    const dates = publicHolidays('MX', [2026, 2027]).map((h) => h.date);
    expect(dates).toContain('2027-01-01');
    expect(isKnownHolidayCountry('XX')).toBe(false);
    expect(isKnownHolidayCountry('ES-ZZ')).toBe(false);
    expect(publicHolidays('XX', [2026])).toEqual([]);
  });

  it('moves an email planned on Mexico’s Independence Day to the next business day, inside the window', () => {
    const calendar = businessCalendar(
      resolveCalendar(settings, { id: 'a', fields: { country: 'MX' } }),
      publicHolidays('MX', [2026]).map((h) => h.date),
    );
    // Wed 16 Sep 2026 10:00 in Mexico City (16:00Z) → Thu 17 Sep 09:00 (15:00Z).
    const fit = fitSendWindow('2026-09-16T16:00:00Z', 'America/Mexico_City', settings.install.sendWindow, calendar);
    expect(fit.at).toBe('2026-09-17T15:00:00Z');
    // Business days skip the holiday too: Tue 15 + 1 business day is Thu 17.
    expect(
      addDuration('2026-09-15T16:00:00Z', { amount: 1, unit: 'businessDays' }, 'America/Mexico_City', calendar).at,
    ).toBe('2026-09-17T16:00:00Z');
  });
});
