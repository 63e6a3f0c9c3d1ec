import { DateTime } from 'luxon';

// The preview refuses what no run could use, before it runs: a date that does not exist (2026-02-30) in the
// account or in the script. A run meeting such a value fails its step with the reason (run-playbook.ts); a person
// asking for a preview is better told at once which value to fix.

// A date, or a date-time with an optional offset; free text that merely starts with digits is left alone.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Why a string that looks like a date (YYYY-MM-DD…) is not one; undefined for any other value. */
export function impossibleDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !DATE_LIKE.test(value)) return undefined;
  const parsed = value.length > 10 ? DateTime.fromISO(value, { setZone: true }) : DateTime.fromISO(value);
  if (parsed.isValid) return undefined;
  return `${JSON.stringify(value)} is not a date that exists (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'})`;
}

export interface SimulationData {
  startAt?: string;
  account?: { fields?: Record<string, unknown> };
  changes?: readonly { at?: string; fields: Record<string, unknown> }[];
  events?: readonly { at?: string; data?: Record<string, unknown> }[];
}

/** Every impossible date in a simulation request, each with where it is ("account.fields.renewalDate: …"). */
export function simulationInputProblems(input: SimulationData): string[] {
  const problems: string[] = [];
  const check = (where: string, value: unknown) => {
    const problem = impossibleDate(value);
    if (problem) problems.push(`${where}: ${problem}`);
  };
  check('startAt', input.startAt);
  for (const [name, value] of Object.entries(input.account?.fields ?? {})) check(`account.fields.${name}`, value);
  (input.changes ?? []).forEach((change, i) => {
    check(`changes[${i}].at`, change.at);
    for (const [name, value] of Object.entries(change.fields)) check(`changes[${i}].fields.${name}`, value);
  });
  (input.events ?? []).forEach((event, i) => check(`events[${i}].at`, event.at));
  return problems;
}
