import { evaluateCondition } from '../playbook/evaluate-condition.js';
import type { EnrollmentPolicy } from '../playbook/schema.js';
import type { Trigger } from '../playbook/triggers.js';

// Pure and zod-free: the account's entity workflow decides here which playbooks a happening enrolls the account in.

/** A published playbook as trigger evaluation needs it. */
export interface PublishedPlaybook {
  key: string;
  version: number;
  name: string;
  triggers: Trigger[];
  enrollment: EnrollmentPolicy;
}

/** Something that happened to an account, in the order its workflow applies them. */
export type AccountHappening =
  | { kind: 'event'; name: string; data: Record<string, unknown> }
  /** A new score moved the level; the score and the scorecard version that gave it travel into the run's reason. */
  | { kind: 'riskLevel'; from: string; to: string; score?: number; scorecardVersion?: number }
  | {
      kind: 'fields';
      changed: Record<string, { from: unknown; to: unknown }>;
      /**
       * The account's local date, when the account's workflow is new enough to pass it: a date trigger whose date
       * was set or moved so that its first day is already past then enrolls the account late (catch-up).
       */
      today?: string;
    }
  /** The daily sweep: `today` is the calendar date in the account's time zone (YYYY-MM-DD). */
  | { kind: 'day'; today: string };

export interface TriggerMatch {
  playbookKey: string;
  /** Why the account was enrolled, as the run and the "why (not) enrolled" view say it. */
  reason: string;
}

const DAY_MS = 86_400_000;

/** `date` (YYYY-MM-DD…) moved by whole days, as a date; undefined when it is not a date. */
export function shiftDate(date: unknown, days: number): string | undefined {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date)) return undefined;
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** ": risk score 85 under scorecard version 2", when the score is known (older histories do not carry it). */
function scoreClause(happening: { score?: number; scorecardVersion?: number }): string {
  if (happening.score === undefined) return '';
  const version =
    happening.scorecardVersion === undefined ? '' : ` under scorecard version ${happening.scorecardVersion}`;
  return `: risk score ${happening.score}${version}`;
}

/**
 * A date set or moved (an import, an edit) so that the trigger's day is today or already past but the date itself is not:
 * the account is late for the playbook and, unless its catch-up policy refuses, enrolls now; where it enters is
 * decided at enrollment (catch-up.ts), which may still find nothing ahead.
 */
function lateDateReason(
  trigger: Extract<Trigger, { type: 'dateRelative' }>,
  happening: Extract<AccountHappening, { kind: 'fields' }>,
  fields: Readonly<Record<string, unknown>>,
  enrollment: EnrollmentPolicy | undefined,
): string | undefined {
  const { today } = happening;
  if (today === undefined || !Object.prototype.hasOwnProperty.call(happening.changed, trigger.field)) return undefined;
  if (enrollment?.catchUp === 'refuse') return undefined;
  const fires = shiftDate(fields[trigger.field], trigger.offsetDays);
  const anchor = shiftDate(fields[trigger.field], 0);
  // The trigger's own day counts too: the daily sweep may have run before the date was set.
  if (!fires || !anchor || fires > today || (trigger.offsetDays < 0 && anchor < today)) return undefined;
  const offset = trigger.offsetDays;
  const rule = offset === 0 ? 'the day' : `${Math.abs(offset)} days ${offset < 0 ? 'before' : 'after'}`;
  return fires === today
    ? `${trigger.field} set to ${anchor}: ${rule} (${fires}) is today`
    : `${trigger.field} set to ${anchor}: ${rule} (${fires}) is already past, enrolling late`;
}

function triggerReason(
  trigger: Trigger,
  happening: AccountHappening,
  fields: Readonly<Record<string, unknown>>,
  enrollment?: EnrollmentPolicy,
) {
  switch (trigger.type) {
    case 'event':
      if (happening.kind !== 'event' || happening.name !== trigger.event) return undefined;
      if (trigger.filter && !evaluateCondition(trigger.filter, { account: fields, event: happening.data }))
        return undefined;
      return `event ${trigger.event}${trigger.filter ? ' matching its filter' : ''}`;
    case 'riskLevelEntered':
      if (happening.kind !== 'riskLevel' || happening.to !== trigger.level || happening.from === trigger.level)
        return undefined;
      return `risk level entered ${trigger.level} (was ${happening.from})${scoreClause(happening)}`;
    case 'fieldChanged': {
      if (happening.kind !== 'fields' || !Object.prototype.hasOwnProperty.call(happening.changed, trigger.field))
        return undefined;
      const { from, to } = happening.changed[trigger.field]!;
      return `${trigger.field} changed from ${JSON.stringify(from)} to ${JSON.stringify(to)}`;
    }
    case 'segmentEntered':
      if (happening.kind !== 'fields' || happening.changed.segment?.to !== trigger.segment) return undefined;
      return `segment entered ${trigger.segment}`;
    case 'dateRelative': {
      if (happening.kind === 'fields') return lateDateReason(trigger, happening, fields, enrollment);
      if (happening.kind !== 'day') return undefined;
      if (shiftDate(fields[trigger.field], trigger.offsetDays) !== happening.today) return undefined;
      const offset = trigger.offsetDays;
      const when = offset === 0 ? 'is today' : `is ${Math.abs(offset)} days ${offset < 0 ? 'away' : 'ago'}`;
      return `${trigger.field} (${String(fields[trigger.field]).slice(0, 10)}) ${when}`;
    }
    case 'manual':
      return undefined;
    default: {
      const unreachable: never = trigger;
      return unreachable;
    }
  }
}

/** The playbooks this happening enrolls the account in: the first matching trigger of each, with its reason. */
export function matchTriggers(
  playbooks: readonly PublishedPlaybook[],
  happening: AccountHappening,
  fields: Readonly<Record<string, unknown>>,
): TriggerMatch[] {
  const matches: TriggerMatch[] = [];
  for (const playbook of playbooks) {
    for (const trigger of playbook.triggers) {
      const reason = triggerReason(trigger, happening, fields, playbook.enrollment);
      if (reason) {
        matches.push({ playbookKey: playbook.key, reason });
        break;
      }
    }
  }
  return matches;
}

const LEVEL_RANK: Readonly<Record<string, number>> = { none: 0, low: 1, medium: 2, high: 3 };

/** The lowest risk level that enrolls the account in this playbook, if a risk level enrolls it at all. */
export function rescueLevel(playbook: PublishedPlaybook): string | undefined {
  const levels = playbook.triggers.flatMap((t) => (t.type === 'riskLevelEntered' ? [t.level] : []));
  return levels.sort((a, b) => (LEVEL_RANK[a] ?? 0) - (LEVEL_RANK[b] ?? 0))[0];
}

/**
 * Rescues a new rescue supersedes: playbooks entered by a lower risk level than the one just started. A high-level
 * rescue takes over from a medium one; a medium one does not end a high one.
 */
export function supersededBy(started: PublishedPlaybook, running: readonly PublishedPlaybook[]): PublishedPlaybook[] {
  const level = rescueLevel(started);
  if (!level) return [];
  return running.filter((other) => {
    const otherLevel = rescueLevel(other);
    return other.key !== started.key && otherLevel !== undefined && LEVEL_RANK[otherLevel]! < LEVEL_RANK[level]!;
  });
}
