import { z } from 'zod';

export const DurationUnit = z.enum(['minutes', 'hours', 'days', 'businessDays']);
export type DurationUnit = z.infer<typeof DurationUnit>;

// A zero or negative wait is never what a person meant, so the schema refuses it instead of the interpreter
// having to decide what "wait -2 days" means.
export const Duration = z
  .strictObject({
    amount: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' }),
    unit: DurationUnit,
  })
  .meta({ id: 'Duration', description: 'A span of time, e.g. { amount: 2, unit: "days" }.' });
export type Duration = z.infer<typeof Duration>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day written HH:mm, e.g. 09:00' })
  .meta({ description: 'Local time in the account time zone, 24-hour HH:mm.' });
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** Ten years: the longest wait or date offset that is plausibly intended rather than a typo. */
export const MAX_WAIT_DAYS = 3650;

/** Calendar days a duration spans at least; business days count as 7/5 of a day, ignoring holidays. */
export function approximateDays(duration: Duration): number {
  switch (duration.unit) {
    case 'minutes':
      return duration.amount / 1440;
    case 'hours':
      return duration.amount / 24;
    case 'days':
      return duration.amount;
    case 'businessDays':
      return (duration.amount * 7) / 5;
    default: {
      const unreachable: never = duration.unit;
      return unreachable;
    }
  }
}

export function describeDuration(duration: Duration): string {
  const unit = duration.unit === 'businessDays' ? 'business days' : duration.unit;
  return `${duration.amount} ${duration.amount === 1 ? unit.replace(/s$/, '') : unit}`;
}
