import type { WaitConfig } from '../playbook/nodes.js';
import { addDuration, nextWeekdayAt, relativeToDate, type Scheduled } from '../time/calendar.js';
import type { AccountSnapshot, RunSettings } from './types.js';

/** When a wait step ends, from now, for this account (its time zone, its dates, the business calendar). */
export function waitUntil(config: WaitConfig, now: string, account: AccountSnapshot, settings: RunSettings): Scheduled {
  switch (config.kind) {
    case 'duration':
      return addDuration(now, { amount: config.amount, unit: config.unit }, account.timeZone, settings.calendar);
    case 'nextWeekday':
      return nextWeekdayAt(now, config.weekday, config.time, account.timeZone);
    case 'untilDate': {
      const date = account.fields[config.field];
      if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date)) {
        return { at: now, why: `the account has no ${config.field}: not waiting` };
      }
      const target = relativeToDate(date, config.offsetDays, account.timeZone, config.atTime);
      if (Date.parse(target.at) <= Date.parse(now))
        return { at: now, why: `${target.why} — already past: continuing now` };
      return target;
    }
    default: {
      const unreachable: never = config;
      return unreachable;
    }
  }
}
