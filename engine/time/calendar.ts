import { DateTime } from 'luxon';
import type { Duration, TimeOfDay, Weekday } from '../playbook/durations.js';

// The engine's time maths, pure and shared by both drivers (Temporal and the simulator): given the same inputs
// they compute the same instants. Every answer says why it falls where it does, for the timeline.
// Luxon, because it does IANA time zones through Intl (no data files in the workflow bundle) and keeps wall-clock
// time across DST when adding calendar days.

export interface BusinessCalendar {
  /** Local dates (YYYY-MM-DD) that are not business days, e.g. national holidays. */
  holidays: readonly string[];
  weekend: readonly Weekday[];
}
export const DEFAULT_CALENDAR: BusinessCalendar = { holidays: [], weekend: ['sat', 'sun'] };

export interface SendWindowHours {
  days: readonly Weekday[];
  from: TimeOfDay;
  to: TimeOfDay;
}
export const DEFAULT_SEND_WINDOW: SendWindowHours = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '18:00',
};

export interface Scheduled {
  /** The instant, ISO 8601 in UTC. */
  at: string;
  why: string;
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const weekdayOf = (t: DateTime): Weekday => WEEKDAYS[t.weekday - 1]!;
const LABEL: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

function local(iso: string, zone: string): DateTime {
  const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  if (!t.isValid)
    throw new RangeError(`invalid instant or time zone: ${iso} in ${zone} (${t.invalidExplanation ?? ''})`);
  return t;
}
const utc = (t: DateTime) => t.toUTC().toISO({ suppressMilliseconds: true })!;
const show = (t: DateTime) => `${t.toFormat('ccc d LLL yyyy HH:mm')} (${t.zoneName})`;
const atTime = (t: DateTime, time: TimeOfDay) => {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  // In a DST gap (02:30 on the spring-forward night) Luxon moves forward to the first valid instant.
  return t.set({ hour, minute, second: 0, millisecond: 0 });
};

export function isBusinessDay(t: DateTime, calendar: BusinessCalendar): boolean {
  return !calendar.weekend.includes(weekdayOf(t)) && !calendar.holidays.includes(t.toISODate()!);
}

/** `from` plus a duration: minutes and hours are absolute; days keep the local clock time; business days skip weekends and holidays. */
export function addDuration(
  from: string,
  duration: Duration,
  zone: string,
  calendar: BusinessCalendar = DEFAULT_CALENDAR,
): Scheduled {
  const start = local(from, zone);
  switch (duration.unit) {
    case 'minutes':
    case 'hours': {
      const end = start.plus({ [duration.unit]: duration.amount });
      return { at: utc(end), why: `${duration.amount} ${duration.unit} after ${show(start)}` };
    }
    case 'days': {
      const end = start.plus({ days: duration.amount });
      return { at: utc(end), why: `${duration.amount} day(s) after ${show(start)}, same local time` };
    }
    case 'businessDays': {
      let t = start;
      const skipped: string[] = [];
      for (let counted = 0; counted < duration.amount;) {
        t = t.plus({ days: 1 });
        if (isBusinessDay(t, calendar)) counted++;
        else if (calendar.holidays.includes(t.toISODate()!)) skipped.push(t.toISODate()!);
      }
      const holidays = skipped.length ? `, skipping holiday ${skipped.join(', ')}` : '';
      return { at: utc(t), why: `${duration.amount} business day(s) after ${show(start)}${holidays}` };
    }
    default: {
      const unreachable: never = duration.unit;
      return unreachable;
    }
  }
}

/** The next given weekday at a local time, strictly after `from` ("next Monday 09:00"). */
export function nextWeekdayAt(from: string, weekday: Weekday, time: TimeOfDay, zone: string): Scheduled {
  const start = local(from, zone);
  let t = atTime(start, time);
  while (weekdayOf(t) !== weekday || t <= start) t = atTime(t.plus({ days: 1 }), time);
  return { at: utc(t), why: `next ${LABEL[weekday]} ${time} after ${show(start)}` };
}

/** A date field plus an offset in days, at a local time (default 09:00): "renewalDate − 90 days". */
export function relativeToDate(date: string, offsetDays: number, zone: string, time: TimeOfDay = '09:00'): Scheduled {
  const day = DateTime.fromISO(date.slice(0, 10), { zone });
  if (!day.isValid) throw new RangeError(`invalid date: ${date}`);
  const t = atTime(day.plus({ days: offsetDays }), time);
  const offset =
    offsetDays === 0 ? 'on' : offsetDays < 0 ? `${-offsetDays} day(s) before` : `${offsetDays} day(s) after`;
  return { at: utc(t), why: `${offset} ${date.slice(0, 10)}, at ${time} (${zone})` };
}

/**
 * Moves an instant into the send window (the account's local days and hours, minus holidays); an instant already
 * inside stays where it is. The answer's `why` is empty when nothing moved.
 */
export function fitSendWindow(
  at: string,
  zone: string,
  window: SendWindowHours = DEFAULT_SEND_WINDOW,
  calendar: BusinessCalendar = DEFAULT_CALENDAR,
): Scheduled {
  const start = local(at, zone);
  const open = (t: DateTime) => window.days.includes(weekdayOf(t)) && !calendar.holidays.includes(t.toISODate()!);
  const opensAt = (t: DateTime) => atTime(t, window.from);
  const closesAt = (t: DateTime) => atTime(t, window.to);
  if (open(start) && start >= opensAt(start) && start < closesAt(start)) return { at: utc(start), why: '' };
  const closed = new Set<string>();
  const note = (t: DateTime) => {
    if (calendar.holidays.includes(t.toISODate()!)) closed.add(t.toISODate()!);
  };
  note(start);
  let t = open(start) && start < opensAt(start) ? opensAt(start) : opensAt(start.plus({ days: 1 }));
  for (let i = 0; i < 366 && !open(t); i++) {
    note(t);
    t = opensAt(t.plus({ days: 1 }));
  }
  const days = window.days.map((d) => LABEL[d].slice(0, 3)).join(', ');
  // Holidays and closures are named, so a timeline says why a weekday was passed over.
  const skipped = closed.size ? `; ${[...closed].join(', ')} not a business day (holiday or closure)` : '';
  return {
    at: utc(t),
    why: `moved to ${show(t)}: outside the send window (${days} ${window.from}–${window.to})${skipped}`,
  };
}
