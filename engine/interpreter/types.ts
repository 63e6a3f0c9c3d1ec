import type { AccountPerson } from '../approvals/chain.js';
import type { ProposedEmail } from '../approvals/proposal.js';
import type { ApprovalValues } from '../approvals/values.js';
import type { Condition } from '../playbook/conditions.js';
import type { CompiledPlaybook } from '../playbook/ir.js';
import type { NodeOfType, NodeType, OwnerChoice } from '../playbook/nodes.js';
import type { BusinessCalendar, SendWindowHours } from '../time/calendar.js';
import type { RunExit } from './exit.js';

// Types only: this file is imported by workflow code, which must not allocate schemas at module scope.

export interface AccountSnapshot {
  id: string;
  /** IANA time zone, e.g. America/Mexico_City: waits, send windows and "next Monday" are local to it. */
  timeZone: string;
  /** The account record as conditions see it (`account.segment`, `account.renewalDate`, custom fields). */
  fields: Record<string, unknown>;
}

export interface RunSettings {
  calendar: BusinessCalendar;
  sendWindow: SendWindowHours;
}

/**
 * What enrolled the run, readable by conditions (`trigger.data.score`) and templates (`{{ trigger.data.score }}`):
 * the event with its data, the field change, the new risk level, the day of a date trigger, or a person's hand.
 */
export type RunTrigger =
  | { type: 'event'; event: string; data: Record<string, unknown> }
  | { type: 'fieldChanged'; field: string; from?: unknown; to?: unknown }
  | { type: 'riskLevelEntered'; from: string; to: string; score?: number }
  | { type: 'dateRelative'; today: string }
  /** Started by a startPlaybook step of another run. */
  | { type: 'playbook'; playbook: string; workflowId: string }
  | { type: 'manual' };

export interface RunInput {
  playbook: CompiledPlaybook;
  account: AccountSnapshot;
  settings?: Partial<RunSettings>;
  /** The trigger that enrolled the run; absent for runs started before it was carried (and read as manual). */
  trigger?: RunTrigger;
  /** Why the account was enrolled ("risk level entered high (was medium)"); absent for a manual enrollment. */
  reason?: string;
  /** Where a run continues from after Temporal's continue-as-new; absent for a new enrollment. */
  resume?: RunCheckpoint;
  /** Continue as new after this many steps (tests); by default when Temporal suggests it. */
  stepsPerRun?: number;
}

/** Everything the interpreter needs to carry on at a step boundary, as plain JSON. */
export interface RunCheckpoint {
  nodeId: string;
  enrolledAt: number;
  clock: number;
  steps: number;
  fields: Record<string, unknown>;
  lastEvent?: Record<string, unknown>;
  /** The values approvals set so far ({{ approval.discount }} in later emails); absent when none did. */
  approval?: ApprovalValues;
  /** The most recent entries only, so a years-long run does not carry an ever-growing input. */
  timeline: TimelineEntry[];
}

/** The config of a node type, as the compiler left it in the IR (the schema in engine/playbook/nodes.ts). */
type ConfigOf<T extends NodeType> = NodeOfType<T>['config'];
interface EffectOf<K extends string> {
  kind: K;
  nodeId: string;
  label: string;
}

/**
 * A side effect the interpreter asks its driver for; the Temporal driver turns each into an activity. Each kind
 * carries its node's config (derived from the node schemas, types only, so workflow code stays zod-free), plus
 * what the interpreter worked out (a task's due instant).
 */
export type Effect =
  | (EffectOf<'email'> &
      Pick<ConfigOf<'email'>, 'template' | 'recipients'> & {
        /** The values approvals before it set, for {{ approval.* }}; absent when none did. */
        approval?: ApprovalValues;
        /** What enrolled the run, for {{ trigger.* }}; absent when the run does not know. */
        trigger?: RunTrigger;
      })
  | (EffectOf<'task'> &
      Pick<ConfigOf<'task'>, 'assignee' | 'title' | 'instructions'> & {
        taskKind: ConfigOf<'task'>['kind'];
        dueAt: string;
      })
  | (EffectOf<'webhook'> & ConfigOf<'webhook'>)
  | (EffectOf<'notify'> & ConfigOf<'notify'>)
  | (EffectOf<'updateField'> & ConfigOf<'updateField'>)
  | (EffectOf<'goal'> & ConfigOf<'goal'>)
  | (EffectOf<'startPlaybook'> & ConfigOf<'startPlaybook'> & { reason: string })
  | AssignOwnerEffect
  | ApprovalRequestedEffect
  | ApprovalEscalatedEffect
  | ApprovalDecidedEffect;

/**
 * Make a CSM the account's owner. The interpreter resolves which choice applies (bySegment reads the account's
 * segment as the run knows it), so the run and the preview agree; who in a team is next is the server's to know.
 */
export type AssignOwnerEffect = EffectOf<'assignOwner'> & {
  owner: OwnerChoice;
  onlyIfUnowned: boolean;
  /** The rule that made the choice apply ("segment high-touch"); empty for a team strategy. */
  basis: string;
};

/** An approval step began: the stored record for the inbox (and a notification to whoever decides first). */
export type ApprovalRequestedEffect = EffectOf<'approval'> &
  Pick<ConfigOf<'approval'>, 'title' | 'details' | 'parameters'> & {
    approvalKind: ConfigOf<'approval'>['kind'];
    assignee: AccountPerson;
    dueAt: string;
    /** The email approving it leads to, rendered with the defaults as the proposal; absent when none. */
    proposal?: ProposedEmail;
  };

/** Nobody decided in time: the approval moves to the next person in its chain, who has until `dueAt`. */
export type ApprovalEscalatedEffect = EffectOf<'approvalEscalation'> & {
  title: string;
  assignee: AccountPerson;
  /** 1 for the first escalation. */
  level: number;
  dueAt: string;
};

/** How the approval ended, as the run took it: recorded on the stored approval, whoever decided (or nobody). */
export type ApprovalDecidedEffect = EffectOf<'approvalDecision'> & {
  title: string;
  /** `withdrawn`: the run exited or was cancelled while it waited. */
  outcome: ApprovalOutcome | 'withdrawn';
  /** The values the steps after it read: the edits over the defaults when approved, else the defaults. */
  values: ApprovalValues;
  decidedBy?: string;
  reason?: string;
  decidedAt: string;
};

/** When, in the run's plan, an effect happens: templates say "day 4", the outbox keeps the planned instant. */
export interface EffectWhen {
  at: string;
  /** Whole days since enrollment. */
  day: number;
  enrolledAt: string;
}

/**
 * What became of an effect. `skipped`: nothing was owed (every recipient unsubscribed, the frequency cap);
 * `failed`: delivery failed for good (a bounced address, a 4xx from a webhook), with the reason in `detail`.
 */
export interface EffectOutcome {
  status: 'done' | 'skipped' | 'failed';
  detail?: string;
}

export type ApprovalOutcome = 'approved' | 'rejected' | 'timeout';

export type ApprovalRequest = Pick<ConfigOf<'approval'>, 'kind' | 'title' | 'details' | 'parameters'> & {
  nodeId: string;
  label: string;
  /** Who decides now, and at which turn of the chain (0: the first decider; 1: the first escalation…). */
  assignee: AccountPerson;
  level: number;
  /** Epoch ms after which the approval escalates or, at the end of its chain, times out. */
  until: number;
};

/** A decision as the driver reports it; `values` are the edits (absent: none), checked against the parameters. */
export interface ApprovalAnswer {
  outcome: ApprovalOutcome;
  at: number;
  values?: ApprovalValues;
  decidedBy?: string;
  reason?: string;
  /** Why the outcome is what it is, when that is not obvious (a scripted decision the preview refused). */
  note?: string;
}

export interface EventRequest {
  nodeId: string;
  event: string;
  filter?: Condition;
  until: number;
}

export type TimelineKind =
  | 'enrolled'
  | 'wait'
  | 'email'
  | 'task'
  | 'approval'
  | 'branch'
  | 'event'
  | 'split'
  | 'updateField'
  | 'webhook'
  | 'notify'
  | 'goal'
  | 'startPlaybook'
  | 'assignOwner'
  | 'failed'
  | 'migrated'
  | 'end'
  | 'exit'
  /** The preview stopped looking ahead; the run itself goes on (simulator only). */
  | 'horizon';

/** One line of a run's story: what happened (or will, in a simulation), when, at which step, and why then. */
export interface TimelineEntry {
  at: string;
  /** Whole days since enrollment. */
  day: number;
  nodeId: string;
  kind: TimelineKind;
  summary: string;
  why: string;
}

/**
 * What the interpreter needs from the world. The Temporal workflow implements it with timers, activities and
 * signals; the simulator with a virtual clock and scripted events. Both run the same `runPlaybook`.
 */
export interface Driver {
  /** Epoch ms; read once, when the run starts. From then on the interpreter keeps its own clock (see runPlaybook). */
  now(): number;
  /**
   * Waits until `at`. Answers early with `skippedAt` when an operator skipped the wait, or with `changedAt` and the
   * account's new fields when they changed (a moved renewal date re-plans the wait). Throws `ExitRequested` when
   * the run must exit.
   */
  sleepUntil(at: number): Promise<WaitEnd>;
  /** Performs a side effect; no answer (as from runs recorded before outcomes existed) means it was done. */
  perform(effect: Effect, when: EffectWhen): Promise<EffectOutcome | void>;
  /** The event's data and when it arrived; `skippedAt` when an operator stopped the wait; undefined when `until` passed first. */
  awaitEvent(
    request: EventRequest,
    accountFields: Readonly<Record<string, unknown>>,
  ): Promise<{ data: Record<string, unknown>; at: number } | { skippedAt: number } | undefined>;
  /** The decision and when it was made; `timeout` when `until` passed first. */
  awaitApproval(request: ApprovalRequest): Promise<ApprovalAnswer>;
  /** Called as the run arrives at each step, before the step does anything. */
  onStep?(nodeId: string): void;
  /** Called as each timeline entry is made (queries, progress). */
  onEntry?(entry: TimelineEntry): void;
  /** Asked between steps: an exit that arrived while an effect ran ends the run before its next step. */
  pendingExit?(): { exit: RunExit; at: number } | undefined;
  /** Asked between steps: true makes runPlaybook stop there and answer a checkpoint to continue from. */
  shouldPause?(): boolean;
  /**
   * Asked only where a newer behaviour departs from an older one (Temporal's `patched`): false while replaying a
   * run recorded before it. Absent (the simulator): always the newer behaviour.
   */
  patched?(id: string): boolean;
}

export type WaitEnd = { skippedAt: number } | { changedAt: number; fields: Record<string, unknown> } | void;

export interface RunResult {
  timeline: TimelineEntry[];
  endedAt: string;
  endNodeId: string;
  /** Set when the run ended early by an exit criterion, a superseding run or an operator. */
  exited?: RunExit;
  /** Set when a step failed for good with no failure route: the run ended there, and why. */
  failed?: { nodeId: string; reason: string };
  /** Set when the driver asked to pause: the run goes on from here (continue-as-new). */
  checkpoint?: RunCheckpoint;
}
