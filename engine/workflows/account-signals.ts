import { defineQuery, defineSignal } from '@temporalio/workflow';

// Messages of the per-account entity workflow, shared with the server that sends them.

/** New events for the account are in the database (they are read from there, in order, by sequence number). */
export const eventsRecordedSignal = defineSignal<[]>('eventsRecorded');

/** Account fields an operator or an import changed, with their old and new values. */
export interface FieldsChangedMessage {
  changed: Record<string, { from: unknown; to: unknown }>;
}
export const fieldsChangedSignal = defineSignal<[FieldsChangedMessage]>('fieldsChanged');

/** The daily sweep: re-score time-based signals (no login for 7 days…) and fire date-relative triggers. */
export interface SweepMessage {
  asOf: string;
}
export const sweepSignal = defineSignal<[SweepMessage]>('sweep');

/**
 * A new scorecard version was saved: score the account again now (no date triggers — those belong to the day, and
 * the sweep fires them), so risk-level triggers fire for accounts whose level changed under the new version.
 */
export interface RescoreMessage {
  scorecardVersion: number;
  /**
   * The level before the new version, when the sender already recorded a score under it: a workflow started by this
   * message has no level of its own to compare with, and the newest row already has the new level.
   */
  from?: string;
}
export const rescoreSignal = defineSignal<[RescoreMessage]>('rescore');

/** One enrollment decision the account's workflow took, for "why (not) enrolled". */
export interface EnrollmentDecision {
  at: string;
  playbookKey: string;
  reason: string;
  started: boolean;
  /** The run it started, or why it did not start (already enrolled, cooling down…). */
  detail: string;
  /** The event that matched, by its per-account sequence number (event triggers only). */
  eventSeq?: number;
}

export interface AccountEntityState {
  accountId: string;
  appliedSeq: number;
  riskLevel: string | undefined;
  pending: number;
  decisions: EnrollmentDecision[];
}
export const accountStateQuery = defineQuery<AccountEntityState>('accountState');

export const accountWorkflowId = (accountId: string) => `account:${accountId}`;
