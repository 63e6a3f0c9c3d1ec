import { describeDuration } from '../playbook/durations.js';
import type { CatchUpPolicy } from '../playbook/enrollment.js';
import type { CompiledPlaybook } from '../playbook/ir.js';
import { evaluateCondition } from '../playbook/evaluate-condition.js';
import type { EnrollmentPolicy, ExitCriterion } from '../playbook/schema.js';
import type { Trigger } from '../playbook/triggers.js';
import { addDuration } from '../time/calendar.js';
import { DEFAULT_CATCH_UP, dateSchedule, dateTrigger, offsetLabel, planCatchUp } from './catch-up.js';
import { shiftDate } from './match.js';

// "Why (not) enrolled", evaluated now: pure functions of the playbook, the account as it is and its runs, so the
// explanation a CS person reads is the same logic as the decisions, not a second guess at it.

/** Each answer says whether the thing holds now (null: it cannot hold "now", e.g. an event has to arrive) and why. */
export interface Explained {
  holdsNow: boolean | null;
  why: string;
}

const value = (v: unknown) => (v === null || v === undefined ? 'no value' : JSON.stringify(v));

/** Whether the situation a trigger enrolls on holds for the account now, in a sentence. */
export function explainTrigger(
  trigger: Trigger,
  fields: Readonly<Record<string, unknown>>,
  today: string,
  /** When the account last had the trigger's event (event triggers), if ever. */
  lastEventAt?: string,
): Explained {
  switch (trigger.type) {
    case 'event': {
      const filter = trigger.filter ? ' matching its filter' : '';
      const last = lastEventAt ? `the account last had it at ${lastEventAt}` : 'the account has never had it';
      return { holdsNow: null, why: `Enrolls when event ${trigger.event}${filter} arrives; ${last}.` };
    }
    case 'riskLevelEntered': {
      const level = typeof fields.riskLevel === 'string' ? fields.riskLevel : undefined;
      const score = typeof fields.riskScore === 'number' ? ` (risk score ${fields.riskScore})` : '';
      if (!level) {
        return {
          holdsNow: false,
          why: `Enrolls on entering risk level ${trigger.level}; the account has not been scored yet.`,
        };
      }
      const why = `Enrolls on entering risk level ${trigger.level}; the account is at ${level}${score} now.`;
      return { holdsNow: level === trigger.level, why };
    }
    case 'fieldChanged':
      return {
        holdsNow: null,
        why: `Enrolls when ${trigger.field} changes; it is ${value(fields[trigger.field])} now.`,
      };
    case 'segmentEntered':
      return {
        holdsNow: fields.segment === trigger.segment,
        why: `Enrolls on entering segment ${trigger.segment}; the account is in ${value(fields.segment)} now.`,
      };
    case 'dateRelative': {
      const fires = shiftDate(fields[trigger.field], trigger.offsetDays);
      const offset = trigger.offsetDays;
      const rule =
        offset === 0
          ? `on ${trigger.field}`
          : `${Math.abs(offset)} days ${offset < 0 ? 'before' : 'after'} ${trigger.field}`;
      if (!fires) return { holdsNow: false, why: `Enrolls ${rule}; the account has no ${trigger.field}.` };
      const date = String(fields[trigger.field]).slice(0, 10);
      const when = fires === today ? 'today' : fires > today ? `on ${fires}` : `on ${fires}, already past`;
      return { holdsNow: fires === today, why: `Enrolls ${rule} (${date}): ${when}.` };
    }
    case 'manual':
      return { holdsNow: null, why: 'Enrolled only by hand (POST /api/playbooks/{id}/enrollments).' };
    default: {
      const unreachable: never = trigger;
      return unreachable;
    }
  }
}

/** A run of the playbook for the account, as visibility lists it. */
export interface RunOfAccount {
  workflowId: string;
  status: string;
  startedAt: string;
}

/** Whether the enrollment policy would let the account in now; `until` when a cooldown is what refuses it. */
export function explainPolicy(
  policy: EnrollmentPolicy,
  runs: readonly RunOfAccount[],
  now: string,
  timeZone: string,
): Explained & { until?: string } {
  const running = runs.find((r) => isRunning(r.status));
  const latest = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  switch (policy.mode) {
    case 'once':
      return latest
        ? {
            holdsNow: false,
            why: `Would refuse: this playbook enrolls an account only once, and it already ran (started ${latest.startedAt}).`,
          }
        : { holdsNow: true, why: 'Would allow: this playbook enrolls an account once, and it has never run for it.' };
    case 'oneAtATime':
      return running
        ? {
            holdsNow: false,
            why: `Would refuse: this playbook runs one enrollment at a time, and one is going (started ${running.startedAt}).`,
          }
        : { holdsNow: true, why: 'Would allow: this playbook runs one enrollment at a time, and none is going.' };
    case 'everyTime': {
      if (!policy.cooldown || !latest) {
        return { holdsNow: true, why: 'Would allow: this playbook enrolls the account every time a trigger matches.' };
      }
      const until = new Date(addDuration(latest.startedAt, policy.cooldown, timeZone).at).toISOString();
      const cooldown = describeDuration(policy.cooldown);
      return Date.parse(until) > Date.parse(now)
        ? {
            holdsNow: false,
            until,
            why: `Would refuse: cooling down until ${until} (cooldown ${cooldown} after the run started ${latest.startedAt}).`,
          }
        : {
            holdsNow: true,
            why: `Would allow: the cooldown of ${cooldown} after the last run (${latest.startedAt}) is over.`,
          };
    }
    default: {
      const unreachable: never = policy;
      return unreachable;
    }
  }
}

/** Statuses of a run that is still going (visibility's own, or the run's waiting state). */
export const isRunning = (status: string) => status === 'running' || status.startsWith('waiting');

/** Whether an exit criterion would end a run of the account now. */
export function explainExit(criterion: ExitCriterion, fields: Readonly<Record<string, unknown>>): Explained {
  if (criterion.kind === 'event') {
    return { holdsNow: null, why: `'${criterion.label}' ends a run when event ${criterion.event} arrives.` };
  }
  const met = evaluateCondition(criterion.when, { account: fields });
  return {
    holdsNow: met,
    why: met
      ? `'${criterion.label}' would end a run now: the account matches its condition.`
      : `'${criterion.label}' would not end a run now: the account does not match its condition.`,
  };
}

/**
 * For a date-relative playbook, where an account enrolling today would enter and why: "renewal in 45 days: the
 * −120, −90 and −60 d steps are past; enters at −30 d". Undefined for a playbook not timed from a date.
 */
export function explainCatchUp(
  playbook: Pick<CompiledPlaybook, 'triggers' | 'startNodeId' | 'nodes' | 'next' | 'enrollment'>,
  fields: Readonly<Record<string, unknown>>,
  today: string,
): (Explained & { policy: CatchUpPolicy; enterAt?: string }) | undefined {
  const trigger = dateTrigger(playbook);
  if (!trigger) return undefined;
  const policy = playbook.enrollment.catchUp ?? DEFAULT_CATCH_UP;
  const schedule = dateSchedule(playbook, fields);
  if (!schedule) {
    return { policy, holdsNow: false, why: `Timed from ${trigger.field}; the account has no ${trigger.field}.` };
  }
  const plan = planCatchUp(playbook, fields, today);
  const first = schedule.steps[0]!;
  switch (plan.kind) {
    case 'fromStart':
      return {
        policy,
        holdsNow: true,
        enterAt: playbook.startNodeId,
        why: plan.why
          ? `Late (${policy}): ${plan.why}.`
          : `On time: its first step (${offsetLabel(first.offsetDays)}, ${first.date}) is not past; a run starts at the beginning.`,
      };
    case 'enterAt':
      return { policy, holdsNow: true, enterAt: plan.nodeId, why: `Late (${policy}): ${plan.why}.` };
    case 'refused':
      return { policy, holdsNow: false, why: `Late (${policy}): ${plan.why}.` };
    default: {
      const unreachable: never = plan;
      return unreachable;
    }
  }
}
