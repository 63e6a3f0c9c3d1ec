import { z } from 'zod';
import type { AccountSnapshot } from '../engine/interpreter/types.js';
import { TimeZone } from '../engine/time/time-zone.js';
import { jsonOption, UsageError } from './input.js';

const AccountOption = z.strictObject({
  id: z.string().trim().min(1, { error: 'must not be empty' }).optional(),
  timeZone: TimeZone.optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

// The most common slip is `{"segment":"high-touch"}`: say where account fields go.
const HINT = ' (an account is { "id", "timeZone", "fields": { "segment": … } })';

/** `--account` for a simulation: anything left out comes from the sample account. */
export function simulatedAccount(raw: string | undefined): AccountSnapshot {
  const given = raw === undefined ? {} : jsonOption('account', raw, AccountOption, HINT);
  return { id: given.id ?? 'sample-account', timeZone: given.timeZone ?? 'UTC', fields: { ...given.fields } };
}

/**
 * `--account` for a real enrollment: the id and the time zone must be given, since a guessed time zone would send
 * a real customer's emails at night.
 */
export function realAccount(raw: string | undefined): AccountSnapshot {
  if (raw === undefined)
    throw new UsageError('enroll needs --account <json or @file> with at least an id and a timeZone');
  const given = jsonOption('account', raw, AccountOption, HINT);
  const missing = (['id', 'timeZone'] as const).filter((key) => given[key] === undefined);
  if (missing.length > 0) throw new UsageError(`--account is missing ${missing.join(' and ')}${HINT}`);
  return { id: given.id ?? '', timeZone: given.timeZone ?? '', fields: { ...given.fields } };
}
