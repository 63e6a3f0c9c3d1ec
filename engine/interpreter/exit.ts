import { evaluateCondition } from '../playbook/evaluate-condition.js';
import type { ExitCriterion } from '../playbook/schema.js';

// Types and pure functions only: imported by workflow code.

/** Why a run ends before its last step: one of its exit criteria was met, or an operator or a newer run ended it. */
export interface RunExit {
  /** What a CS person reads on the run: "Risk back below 80", "Superseded by rescue-high". */
  label: string;
  reason: string;
  /** The goal the exit records, e.g. "time to first value". */
  goal?: string;
}

/** Thrown by a driver's wait when the run must exit; `runPlaybook` turns it into the run's last timeline entries. */
export class ExitRequested extends Error {
  constructor(
    readonly exit: RunExit,
    /** Epoch ms the exit happened (the event's arrival, the change's). */
    readonly at: number,
  ) {
    super(`run exited: ${exit.label}`);
    this.name = 'ExitRequested';
  }
}

/** What just changed for the account: an event arrived, or its fields changed (a new risk level, a new date). */
export interface AccountChange {
  event?: { name: string; data: Record<string, unknown> };
  fields: Readonly<Record<string, unknown>>;
  /** What enrolled the run: a criterion may apply only to runs a risk level started (`trigger.type`). */
  trigger?: Readonly<Record<string, unknown>>;
}

/**
 * The first exit criterion this change meets, as the run's exit. A condition criterion is checked against the
 * account as it now is (and the event, if one came); an event criterion only by an event of its name.
 */
export function matchExit(criteria: readonly ExitCriterion[], change: AccountChange): RunExit | undefined {
  for (const criterion of criteria) {
    const scope = { account: change.fields, event: change.event?.data, trigger: change.trigger };
    const met =
      criterion.kind === 'event'
        ? change.event?.name === criterion.event && (!criterion.filter || evaluateCondition(criterion.filter, scope))
        : evaluateCondition(criterion.when, scope);
    if (!met) continue;
    return {
      label: criterion.label,
      reason:
        criterion.kind === 'event'
          ? `exit criterion met: ${criterion.event} received`
          : 'exit criterion met: the account now matches its condition',
      goal: criterion.goal?.name,
    };
  }
  return undefined;
}
