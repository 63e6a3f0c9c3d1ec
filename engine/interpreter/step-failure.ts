// Bad data is the account's problem, not the workflow's: a value the interpreter cannot use (an impossible date,
// a missing field, a time zone nobody knows) fails the step it stands on, with the reason on the timeline, instead
// of throwing out of the workflow and failing its task on every attempt (which stalls the run for good).

/** A step cannot go on with the account's data; `message` is the reason a CS person reads on the timeline. */
export class StepDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepDataError';
  }
}

/**
 * True for errors that mean "this account's data cannot be used": ours, and the RangeError the time maths
 * (engine/time/calendar.ts, Luxon) raise for an invalid date, instant or time zone.
 */
export function isBadData(error: unknown): error is Error {
  return error instanceof StepDataError || error instanceof RangeError;
}

/** Replaying a run recorded before a missing date field failed the step keeps it passing, as it did then. */
export const MISSING_FIELD_FAILS_PATCH = 'stayflow-missing-field-fails';
