import type { CatchUpPolicy } from '../playbook/enrollment.js';
import type { CompiledPlaybook } from '../playbook/ir.js';
import { shiftDate } from './match.js';

// Catch-up for date-relative playbooks (the renewal cadence: −120, −90, −60, −30, −7 and 0 days from the renewal
// date). An account that arrives late — imported 45 days before its renewal — has some steps in the past. The
// playbook's policy says what happens: enter at the first step still ahead, run the latest past step now, or refuse.
// Pure and zod-free: the server's enrollment, the "why (not) enrolled" view and the account's workflow (through
// match.ts) all read it.

/** What a playbook does when it has no explicit policy: enter at the first step still ahead. */
export const DEFAULT_CATCH_UP: CatchUpPolicy = 'firstAhead';

/** A dated step: the start (at the date trigger's offset) or a wait until a date relative to the same field. */
export interface DateStep {
  /** The node the run enters at to take this step: the start node, or the wait that leads to the step. */
  nodeId: string;
  offsetDays: number;
  /** The step's local date (YYYY-MM-DD), in the account's calendar. */
  date: string;
}

export interface DateSchedule {
  field: string;
  /** The anchor date (YYYY-MM-DD). */
  anchor: string;
  /** Ordered by offset: earliest first. */
  steps: DateStep[];
}

/** "−120 d", "0 d", "+30 d": an offset as the seed labels write it (with a real minus sign). */
export const offsetLabel = (days: number) => `${days < 0 ? '−' : days > 0 ? '+' : ''}${Math.abs(days)} d`;

/** "renewal" for renewalDate: the field a person reads. */
const fieldWord = (field: string) => field.replace(/Date$/, '') || field;

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The playbook's date trigger, if it has one: its anchor field and offset. */
export function dateTrigger(playbook: Pick<CompiledPlaybook, 'triggers'>) {
  for (const trigger of playbook.triggers) if (trigger.type === 'dateRelative') return trigger;
  return undefined;
}

/**
 * The dated steps of a date-relative playbook for an account, in walking order of the graph: the start at the
 * date trigger's offset, then every "wait until <field> ± N days" on the same field (the first reached for an
 * offset). Undefined when the playbook has no date trigger or the account has no date in that field.
 */
export function dateSchedule(
  playbook: Pick<CompiledPlaybook, 'triggers' | 'startNodeId' | 'nodes' | 'next'>,
  fields: Readonly<Record<string, unknown>>,
): DateSchedule | undefined {
  const trigger = dateTrigger(playbook);
  if (!trigger) return undefined;
  const anchorValue = fields[trigger.field];
  const startDate = shiftDate(anchorValue, trigger.offsetDays);
  if (!startDate) return undefined;
  const anchor = String(anchorValue).slice(0, 10);
  const steps: DateStep[] = [{ nodeId: playbook.startNodeId, offsetDays: trigger.offsetDays, date: startDate }];
  const seen = new Set([playbook.startNodeId]);
  const queue = [playbook.startNodeId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const node = playbook.nodes[id];
    const config = node?.type === 'wait' ? node.config : undefined;
    if (
      config?.kind === 'untilDate' &&
      config.field === trigger.field &&
      !steps.some((s) => s.offsetDays === config.offsetDays)
    ) {
      steps.push({ nodeId: id, offsetDays: config.offsetDays, date: shiftDate(anchor, config.offsetDays)! });
    }
    for (const target of Object.values(playbook.next[id] ?? {})) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  steps.sort((a, b) => a.offsetDays - b.offsetDays);
  return { field: trigger.field, anchor, steps };
}

/**
 * Where a run of the playbook starts for this account today.
 * - `fromStart`: nothing is past (or the playbook is not date-relative): the normal start.
 * - `enterAt`: some steps are past; the run goes from its start straight to `nodeId`.
 * - `refused`: the policy refuses a late account, or no step is left ahead.
 * `why` is the sentence for the run's enrollment entry and for "why (not) enrolled".
 */
export type CatchUpPlan =
  | { kind: 'fromStart'; why?: string }
  | { kind: 'enterAt'; nodeId: string; offsetDays: number; why: string }
  | { kind: 'refused'; why: string };

export function planCatchUp(
  playbook: Pick<CompiledPlaybook, 'triggers' | 'startNodeId' | 'nodes' | 'next' | 'enrollment'>,
  fields: Readonly<Record<string, unknown>>,
  /** The account's local date (YYYY-MM-DD). */
  today: string,
): CatchUpPlan {
  const schedule = dateSchedule(playbook, fields);
  if (!schedule) return { kind: 'fromStart' };
  const policy = playbook.enrollment.catchUp ?? DEFAULT_CATCH_UP;
  const { steps, anchor, field } = schedule;
  // A step today is not late: its wait ends at once (or at its hour) and it runs today.
  const past = steps.filter((s) => s.date < today);
  if (past.length === 0 || past[0] !== steps[0]) return { kind: 'fromStart' };
  const days = daysBetween(today, anchor);
  const word = fieldWord(field);
  const when =
    days > 0
      ? `${word} in ${days} day${days === 1 ? '' : 's'}`
      : days === 0
        ? `${word} today`
        : `${word} ${-days} day${days === -1 ? '' : 's'} ago`;
  const pastSentence = stepsAre(past, 'past');
  const ahead = steps.find((s) => s.date >= today);
  switch (policy) {
    case 'refuse':
      return { kind: 'refused', why: `${when}: ${pastSentence}; this playbook does not enroll an account late` };
    case 'latestPast': {
      const latest = ahead?.date === today ? ahead : past.at(-1)!;
      if (latest === steps[0])
        return { kind: 'fromStart', why: `${when}: starts at ${offsetLabel(latest.offsetDays)}` };
      const earlier = steps.filter((s) => s.date < latest.date);
      return {
        kind: 'enterAt',
        nodeId: latest.nodeId,
        offsetDays: latest.offsetDays,
        why: `${when}: ${stepsAre(earlier, 'skipped')}; runs the ${offsetLabel(latest.offsetDays)} step now`,
      };
    }
    case 'firstAhead': {
      if (!ahead) return { kind: 'refused', why: `${when}: every step is past; nothing is left to enter at` };
      return {
        kind: 'enterAt',
        nodeId: ahead.nodeId,
        offsetDays: ahead.offsetDays,
        why: `${when}: ${pastSentence}; enters at ${offsetLabel(ahead.offsetDays)}`,
      };
    }
    default: {
      const unreachable: never = policy;
      return unreachable;
    }
  }
}

/** "the −120, −90 and −60 d steps are past"; a long list as its range ("the 30 steps from 0 to +407 d are past"). */
function stepsAre(steps: readonly DateStep[], what: string): string {
  const offsets = steps.map((s) => offsetLabel(s.offsetDays).replace(/ d$/, ''));
  if (steps.length === 1) return `the ${offsets[0]} d step is ${what}`;
  if (steps.length > 4) return `the ${steps.length} steps from ${offsets[0]} to ${offsets.at(-1)} d are ${what}`;
  return `the ${offsets.slice(0, -1).join(', ')} and ${offsets.at(-1)} d steps are ${what}`;
}

/**
 * The playbook a late run executes: the same IR with its start leading straight to the step it enters at. The
 * start step still runs (the enrollment entry with its reason), and every step between is never reached — the
 * interpreter needs no notion of catch-up, and the simulator previews a late enrollment the same way.
 */
export function enteringAt(playbook: CompiledPlaybook, nodeId: string): CompiledPlaybook {
  if (!playbook.nodes[nodeId]) throw new Error(`playbook ${playbook.key} has no step ${nodeId}`);
  const start = playbook.next[playbook.startNodeId] ?? {};
  const next = {
    ...playbook.next,
    [playbook.startNodeId]: Object.fromEntries(Object.keys(start).map((h) => [h, nodeId])),
  };
  return { ...playbook, next };
}

/** What a run of the playbook starts with, for an account today: the (possibly re-entered) playbook and its reason. */
export function catchUpStart(
  playbook: CompiledPlaybook,
  fields: Readonly<Record<string, unknown>>,
  today: string,
  reason?: string,
): { ok: true; playbook: CompiledPlaybook; reason?: string } | { ok: false; why: string } {
  const plan = planCatchUp(playbook, fields, today);
  if (plan.kind === 'refused') return { ok: false, why: plan.why };
  const why = [reason, plan.why].filter(Boolean).join('; ') || undefined;
  return {
    ok: true,
    playbook: plan.kind === 'enterAt' ? enteringAt(playbook, plan.nodeId) : playbook,
    ...(why !== undefined && { reason: why }),
  };
}
