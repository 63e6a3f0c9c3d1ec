import { DateTime } from 'luxon';
import type { Condition, DateMeasure, FieldCondition } from './conditions.js';

// Kept apart from the schemas: the interpreter runs inside workflow code, which must not import zod schemas
// (they would be allocated again for every cached workflow). This file imports only types and Luxon (which the
// interpreter's time maths already bundles).

/**
 * What a condition is evaluated against: the account record, the data of the current event, if any, and what
 * enrolled the run (`trigger.type`, `trigger.data.score`, `trigger.field`/`from`/`to`), if known.
 */
export interface ConditionScope {
  account: Readonly<Record<string, unknown>>;
  event?: Readonly<Record<string, unknown>>;
  trigger?: Readonly<Record<string, unknown>>;
  /**
   * The instant the condition is decided (epoch ms) and the account's time zone, for `daysSince`/`daysUntil`:
   * the run's logical clock, never the wall clock, so the simulator and the Temporal run decide alike. Without
   * them a measured condition is false (nothing to count from).
   */
  now?: number;
  timeZone?: string;
}

function own(record: unknown, key: string): unknown {
  if (typeof record !== 'object' || record === null || !Object.prototype.hasOwnProperty.call(record, key))
    return undefined;
  return (record as Record<string, unknown>)[key];
}

export function resolveField(field: string, scope: ConditionScope): unknown {
  const [root, ...keys] = field.split('.');
  let value: unknown =
    root === 'account'
      ? scope.account
      : root === 'event'
        ? scope.event
        : root === 'trigger'
          ? scope.trigger
          : undefined;
  for (const key of keys) value = own(value, key);
  return value;
}

// Numbers compare as numbers; two strings that are both ISO dates compare as instants, other strings
// lexically. Anything else is not ordered, so an ordering comparison on it is false rather than a guess.
function compare(actual: unknown, expected: unknown): number | undefined {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = isoInstant(actual);
    const b = isoInstant(expected);
    if (a !== undefined && b !== undefined) return a - b;
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  }
  return undefined;
}

function isoInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

const DAY_MS = 86_400_000;

/**
 * Whole days from the account's local date at `now` to the date in `value` (positive: ahead), or undefined when
 * `value` is not a real date (`2026-02-30`) or the zone is unknown. Calendar days, so "365 days ago" is the same
 * local date a year back whatever the hour, and a DST change never makes a day of 23 hours count as none.
 */
export function daysFromToday(value: unknown, now: number, timeZone: string): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = DateTime.fromISO(value.slice(0, 10), { zone: 'utc' });
  const today = DateTime.fromMillis(now, { zone: timeZone });
  if (!date.isValid || !today.isValid) return undefined;
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  return Math.round((date.toMillis() - todayUtc) / DAY_MS);
}

function measured(measure: DateMeasure, actual: unknown, scope: ConditionScope): number | undefined {
  if (scope.now === undefined || scope.timeZone === undefined) return undefined;
  const ahead = daysFromToday(actual, scope.now, scope.timeZone);
  if (ahead === undefined) return undefined;
  return measure === 'daysUntil' ? ahead : -ahead;
}

function evaluateField(condition: FieldCondition, scope: ConditionScope): boolean {
  const raw = resolveField(condition.field, scope);
  // A measured condition compares the days since/until the date; a date it cannot count from satisfies nothing.
  const actual = condition.measure === undefined ? raw : measured(condition.measure, raw, scope);
  const expected = condition.value;
  if (condition.op === 'exists') return actual !== undefined && actual !== null;
  // A missing field satisfies no comparison (not even neq): wrap it in `not` to mean "is not X or unknown".
  if (actual === undefined || actual === null) return false;
  switch (condition.op) {
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const order = compare(actual, expected);
      if (order === undefined) return false;
      if (condition.op === 'gt') return order > 0;
      if (condition.op === 'gte') return order >= 0;
      if (condition.op === 'lt') return order < 0;
      return order <= 0;
    }
    case 'in':
      return Array.isArray(expected) && expected.some((candidate) => candidate === actual);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => item === expected);
      return typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
    default: {
      const unreachable: never = condition.op;
      return unreachable;
    }
  }
}

/** Pure and total: decides a (schema-valid) condition against an account and event without side effects. */
export function evaluateCondition(condition: Condition, scope: ConditionScope): boolean {
  if ('all' in condition) return condition.all.every((inner) => evaluateCondition(inner, scope));
  if ('any' in condition) return condition.any.some((inner) => evaluateCondition(inner, scope));
  if ('not' in condition) return !evaluateCondition(condition.not, scope);
  return evaluateField(condition, scope);
}
