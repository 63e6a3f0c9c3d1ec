import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalValues } from '../approvals/values.js';
import type { TimelineEntry } from '../interpreter/types.js';

// Message definitions shared by the workflow and its clients (server, tests).

export interface AccountEventMessage {
  event: string;
  data?: Record<string, unknown>;
}
export const accountEventSignal = defineSignal<[AccountEventMessage]>('accountEvent');

/** The account's fields that changed (a new risk level, a moved renewal date), sent by the account's workflow. */
export interface AccountFieldsMessage {
  fields: Record<string, unknown>;
}
export const accountFieldsSignal = defineSignal<[AccountFieldsMessage]>('accountFields');

/** Ends the run where it stands, e.g. superseded by a rescue of a higher level, or by an operator. */
export interface ExitRunMessage {
  label: string;
  reason: string;
}
export const exitRunSignal = defineSignal<[ExitRunMessage]>('exitRun');

/** A decision on the approval step the run waits at; histories from before parameters carry no values. */
export interface ApprovalDecision {
  nodeId: string;
  decision: 'approved' | 'rejected';
  /** Who decided, as the API authenticated them (an email, or a token's name). */
  decidedBy: string;
  /** Edits of the step's parameters; the validator refuses unknown names and values out of bounds. */
  values?: ApprovalValues;
  reason?: string;
}
/** Ends the wait for a timer or an event the run stands on now (its timeout outcome); "skip the wait" on the runs page. */
export const skipWaitUpdate = defineUpdate<void, [{ requestedBy: string }]>('skipWait');

/** Answers when the run took the decision; a refusal (already decided, not waiting, out of bounds) says why. */
export const decideApprovalUpdate = defineUpdate<{ decidedAt: string } | void, [ApprovalDecision]>('decideApproval');

export interface RunPosition {
  nodeId: string;
  waiting: { kind: 'timer' | 'event' | 'approval'; until: string; detail: string } | undefined;
}
export const positionQuery = defineQuery<RunPosition>('position');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
