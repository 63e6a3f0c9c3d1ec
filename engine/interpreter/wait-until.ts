import { DateTime } from 'luxon';
import type { WaitConfig } from '../playbook/nodes.js';
import { addDuration, nextWeekdayAt, relativeToDate, type Scheduled } from '../time/calendar.js';
import { StepDataError } from './step-failure.js';
import type { AccountSnapshot, RunSettings } from './types.js';

export interface WaitContext {
  /** When the account was enrolled (ISO): anchored waits count their days from its local date. */
  enrolledAt: string;
  /**
   * Whether a date field that is missing (or not a date string) fails the step; false only while replaying a run
   * recorded when it passed silently. Asked only when the field is missing.
   */
  missingFails: () => boolean;
}

/** When a wait step ends, from now, for this account (its time zone, its dates, the business calendar). */
export function waitUntil(
  config: WaitConfig,
  now: string,
  account: AccountSnapshot,
  settings: RunSettings,
  context: WaitContext,
): Scheduled {
  switch (config.kind) {
    case 'duration':
      return addDuration(now, { amount: config.amount, unit: config.unit }, account.timeZone, settings.calendar);
    case 'nextWeekday':
      return nextWeekdayAt(now, config.weekday, config.time, account.timeZone);
    case 'untilDate': {
      const date = account.fields[config.field];
      if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date)) {
        if (context.missingFails()) {
          throw new StepDataError(
            date === undefined || date === null
              ? `the account has no ${config.field}, so there is no date to wait for`
              : `the account's ${config.field} is ${JSON.stringify(date)}, which is not a date (YYYY-MM-DD)`,
          );
        }
        return { at: now, why: `the account has no ${config.field}: not waiting` };
      }
      if (!DateTime.fromISO(date.slice(0, 10), { zone: 'utc' }).isValid)
        throw new StepDataError(`the account's ${config.field} is ${date.slice(0, 10)}, a date that does not exist`);
      const target = relativeToDate(date, config.offsetDays, account.timeZone, config.atTime);
      if (Date.parse(target.at) <= Date.parse(now))
        return { at: now, why: `${target.why} — already past: continuing now` };
      return target;
    }
    case 'anchored': {
      // The enrollment's local date, then day N at the time: absolute, so nothing before it can make it drift.
      const enrolled = DateTime.fromISO(context.enrolledAt, { zone: 'utc' }).setZone(account.timeZone);
      if (!enrolled.isValid) throw new StepDataError(`the account's time zone ${account.timeZone} is not known`);
      const target = relativeToDate(enrolled.toISODate()!, config.day, account.timeZone, config.time);
      const why = `day ${config.day} after enrollment (${enrolled.toISODate()}) at ${config.time} (${account.timeZone})`;
      if (Date.parse(target.at) <= Date.parse(now)) return { at: now, why: `${why} — already past: continuing now` };
      return { at: target.at, why };
    }
    default: {
      const unreachable: never = config;
      return unreachable;
    }
  }
}
