import { evaluateCondition } from '../playbook/evaluate-condition.js';
import { runPlaybook } from '../interpreter/run-playbook.js';
import type { ApprovalOutcome, Driver, RunInput, RunResult } from '../interpreter/types.js';

/** An event the simulated account will produce, at an instant or an offset from enrollment. */
export interface ScriptedEvent {
  event: string;
  at?: string;
  afterHours?: number;
  data?: Record<string, unknown>;
}

/** How a CSM will answer an approval step, and how long after it is requested. */
export interface ScriptedApproval {
  nodeId: string;
  decision: Exclude<ApprovalOutcome, 'timeout'>;
  afterHours?: number;
}

/** A delivery the preview treats as failed for good (a bounce) or skipped (every recipient unsubscribed). */
export interface ScriptedFailure {
  nodeId: string;
  status: 'failed' | 'skipped';
  detail: string;
}

export interface SimulationInput extends RunInput {
  /** When the simulated enrollment happens (ISO). */
  startAt: string;
  events?: ScriptedEvent[];
  approvals?: ScriptedApproval[];
  failures?: ScriptedFailure[];
}

/**
 * The time-travel preview: the same interpreter as the Temporal run, driven by a virtual clock that jumps to each
 * wake-up. Effects are not performed; the timeline says what would happen, when, and why then.
 */
export async function simulate(input: SimulationInput): Promise<RunResult> {
  let clock = Date.parse(input.startAt);
  if (Number.isNaN(clock)) throw new RangeError(`startAt is not a date: ${input.startAt}`);
  const start = clock;
  const events = (input.events ?? [])
    .map((e, index) => ({
      ...e,
      index,
      time: e.at !== undefined ? Date.parse(e.at) : start + (e.afterHours ?? 0) * 3_600_000,
    }))
    .sort((a, b) => a.time - b.time || a.index - b.index);
  const consumed = new Set<number>();
  const approvals = [...(input.approvals ?? [])];

  const driver: Driver = {
    now: () => clock,
    async sleepUntil(at) {
      clock = Math.max(clock, at);
    },
    async perform(effect) {
      const failure = input.failures?.find((f) => f.nodeId === effect.nodeId);
      return failure ? { status: failure.status, detail: failure.detail } : undefined;
    },
    async awaitEvent(request, accountFields) {
      const match = events.find(
        (e) =>
          !consumed.has(e.index) &&
          e.event === request.event &&
          e.time >= clock &&
          e.time <= request.until &&
          (!request.filter || evaluateCondition(request.filter, { account: accountFields, event: e.data ?? {} })),
      );
      if (!match) {
        clock = request.until;
        return undefined;
      }
      consumed.add(match.index);
      clock = match.time;
      return { data: match.data ?? {}, at: match.time };
    },
    async awaitApproval(request) {
      const index = approvals.findIndex((a) => a.nodeId === request.nodeId);
      const scripted = index >= 0 ? approvals.splice(index, 1)[0] : undefined;
      const decidedAt = scripted ? clock + (scripted.afterHours ?? 1) * 3_600_000 : Infinity;
      if (!scripted || decidedAt > request.until) {
        clock = request.until;
        return { outcome: 'timeout', at: clock };
      }
      clock = decidedAt;
      return { outcome: scripted.decision, at: decidedAt };
    },
  };
  return runPlaybook(input, driver);
}
