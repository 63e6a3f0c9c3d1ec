import { approvalValueProblems } from '../approvals/values.js';
import { evaluateCondition } from '../playbook/evaluate-condition.js';
import { ExitRequested, matchExit } from '../interpreter/exit.js';
import { runPlaybook } from '../interpreter/run-playbook.js';
import type { Driver, RunInput, RunResult } from '../interpreter/types.js';
import type { ScriptedApproval, SimulationScript } from './schemas.js';
import { previewSender, type PreviewGovernance } from '../governance/preview.js';
import type { AssignmentDirectory } from '../playbook/assign-owner.js';
import { previewAssignment } from './assign-owner.js';

/** A run's input plus what the script says will happen to the account (engine/simulator/schemas.ts). */
export interface SimulationInput extends RunInput, Partial<SimulationScript> {
  /** When the simulated enrollment happens (ISO). */
  startAt: string;
  /** Contact governance, as the sender applies it (engine/governance); unset: every email goes out. */
  governance?: PreviewGovernance;
  /** The install's CSMs and teams (and the stored account's owner), for assignOwner steps; unset: not known. */
  people?: AssignmentDirectory;
  /** How many days ahead the preview looks (PREVIEW_HORIZON_DAYS unless given). */
  horizonDays?: number;
}

/**
 * Five years: every shipped playbook's dated steps (renewal at -120 d, upsell moments, loyalty tiers into Platinum)
 * fall well inside it. A playbook that loops for as long as the account stays (loyalty's weekly Platinum check-in)
 * would otherwise preview to the interpreter's 5,000-step bound, some 47 years and a megabyte of timeline.
 */
export const PREVIEW_HORIZON_DAYS = 1_827;
const DAY_MS = 86_400_000;

/**
 * The time-travel preview: the same interpreter as the Temporal run, driven by a virtual clock that jumps to each
 * wake-up. Effects are not performed; the timeline says what would happen, when, and why then.
 */
export async function simulate(input: SimulationInput): Promise<RunResult> {
  let clock = Date.parse(input.startAt);
  if (Number.isNaN(clock)) throw new RangeError(`startAt is not a date: ${input.startAt}`);
  const start = clock;
  /** Scripted items on the timeline, in time order (ties keep the script's order). */
  const timed = <T extends { at?: string; afterHours?: number }>(items: readonly T[] = []) =>
    items
      .map((item, index) => ({
        ...item,
        index,
        time: item.at !== undefined ? Date.parse(item.at) : start + (item.afterHours ?? 0) * 3_600_000,
      }))
      .sort((a, b) => a.time - b.time || a.index - b.index);
  const events = timed(input.events);
  const consumed = new Set<number>();
  const approvals = [...(input.approvals ?? [])];
  let awaiting: { scripted?: ScriptedApproval; decidedAt: number; note?: string } = { decidedAt: Infinity };
  const changes = timed(input.changes);
  const applied = new Set<number>();
  // The account as the run's exit criteria see it: what it started with plus every change applied so far.
  const fields: Record<string, unknown> = { ...(input.resume?.fields ?? input.account.fields) };
  const exitCriteria = input.playbook.exit ?? [];
  const sendEmail = input.governance && previewSender(input.governance);

  /** The first unspent event up to `until` that meets an exit criterion, and the exit it means. */
  const exitEventBy = (until: number) => {
    for (const e of events) {
      if (consumed.has(e.index) || e.time < clock || e.time > until) continue;
      const exit = matchExit(exitCriteria, {
        trigger: input.trigger,
        event: { name: e.event, data: e.data ?? {} },
        fields,
      });
      if (exit) return { event: e, exit };
    }
    return undefined;
  };

  /**
   * What would interrupt a wait that ends at `until`, as the Temporal run sees it: the first scripted change of
   * fields, or the first event that meets an exit criterion (which is then spent, as a signal would be).
   */
  const interruption = (until: number) => {
    const change = changes.find((c) => !applied.has(c.index) && c.time <= until);
    const exitEvent = exitEventBy(until);
    if (change && (!exitEvent || change.time <= exitEvent.event.time)) {
      applied.add(change.index);
      Object.assign(fields, change.fields);
      const at = Math.max(clock, change.time);
      const exit = matchExit(exitCriteria, { trigger: input.trigger, fields });
      if (exit) throw new ExitRequested(exit, at);
      return { changedAt: at, fields: change.fields };
    }
    if (exitEvent) {
      consumed.add(exitEvent.event.index);
      throw new ExitRequested(exitEvent.exit, exitEvent.event.time);
    }
    return undefined;
  };

  const horizon = start + (input.horizonDays ?? PREVIEW_HORIZON_DAYS) * DAY_MS;
  const driver: Driver = {
    now: () => clock,
    // Past the horizon the interpreter stops at its next step boundary, as it does before a continue-as-new.
    shouldPause: () => clock > horizon,
    async sleepUntil(at) {
      const interrupted = interruption(at);
      if (interrupted) {
        clock = Math.max(clock, interrupted.changedAt);
        return interrupted;
      }
      clock = Math.max(clock, at);
    },
    async perform(effect, when) {
      const failure = input.failures?.find((f) => f.nodeId === effect.nodeId);
      if (failure) return { status: failure.status, detail: failure.detail };
      if (effect.kind === 'email' && sendEmail) return sendEmail(Date.parse(when.at));
      // The preview enrolls nobody: it says what the run would ask for, which the other playbook's policy decides.
      if (effect.kind === 'startPlaybook')
        return {
          status: 'done',
          detail: `would start playbook ${effect.playbook}, if its enrollment policy lets the account in`,
        };
      if (effect.kind === 'assignOwner') return previewAssignment(effect, input.people);
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
      exitBefore(match?.time ?? request.until);
      if (!match) {
        clock = request.until;
        return undefined;
      }
      consumed.add(match.index);
      clock = match.time;
      return { data: match.data ?? {}, at: match.time };
    },
    async awaitApproval(request) {
      // The script's decision is timed from the request; each escalation asks again for the same decision.
      if (request.level === 0) {
        const index = approvals.findIndex((a) => a.nodeId === request.nodeId);
        const scripted = index >= 0 ? approvals.splice(index, 1)[0] : undefined;
        const problems = scripted ? approvalValueProblems(request.parameters, scripted.values ?? {}) : [];
        awaiting =
          scripted && problems.length > 0
            ? {
                decidedAt: Infinity,
                note: `the scripted decision was refused, as the run would refuse it: ${problems.map((p) => p.message).join('; ')}`,
              }
            : { scripted, decidedAt: scripted ? clock + (scripted.afterHours ?? 1) * 3_600_000 : Infinity };
      }
      const { scripted, decidedAt, note } = awaiting;
      exitBefore(Math.min(decidedAt, request.until));
      if (!scripted || decidedAt > request.until) {
        clock = request.until;
        return { outcome: 'timeout', at: clock, ...(note && { note }) };
      }
      clock = decidedAt;
      return { outcome: scripted.decision, at: decidedAt, ...(scripted.values && { values: scripted.values }) };
    },
  };

  /**
   * While waiting for an event or a person, an exit still ends the run; a mere change of fields waits for the
   * next timer to be applied (as in the Temporal run, where only timers re-plan).
   */
  function exitBefore(until: number) {
    const exitEvent = exitEventBy(until);
    const exitChange = changes.find(
      (c) =>
        !applied.has(c.index) &&
        c.time <= until &&
        matchExit(exitCriteria, { trigger: input.trigger, fields: { ...fields, ...c.fields } }),
    );
    if (exitChange && (!exitEvent || exitChange.time <= exitEvent.event.time)) {
      for (const c of changes)
        if (!applied.has(c.index) && c.time <= exitChange.time) {
          applied.add(c.index);
          Object.assign(fields, c.fields);
        }
      throw new ExitRequested(
        matchExit(exitCriteria, { trigger: input.trigger, fields })!,
        Math.max(clock, exitChange.time),
      );
    }
    if (exitEvent) {
      consumed.add(exitEvent.event.index);
      throw new ExitRequested(exitEvent.exit, exitEvent.event.time);
    }
  }
  const { checkpoint, ...result } = await runPlaybook(input, driver);
  if (!checkpoint) return result;
  // The preview stops looking; the run would not stop here. The last line says so, and where the run stands.
  const standing = input.playbook.nodes[checkpoint.nodeId];
  const days = input.horizonDays ?? PREVIEW_HORIZON_DAYS;
  result.timeline.push({
    at: result.endedAt,
    day: Math.floor((Date.parse(result.endedAt) - checkpoint.enrolledAt) / DAY_MS),
    nodeId: checkpoint.nodeId,
    kind: 'horizon',
    summary: `Preview ends here; the run goes on at '${standing?.label ?? checkpoint.nodeId}'`,
    why: `the preview looks ${days.toLocaleString('en')} days ahead (horizonDays); the run itself has no such limit`,
  });
  return result;
}
