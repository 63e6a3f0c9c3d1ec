import type { Effect, EffectOutcome, EffectWhen, RunTrigger } from './interpreter/types.js';
import type { PublishedPlaybook } from './triggers/match.js';
import type { MigrateRunResult, MigrateRunsInput } from './workflows/run-migration.js';

// What workflows may ask of the outside world. The engine owns this contract; `activities/` implements it, so
// workflow code depends on types only and never on the modules that do I/O.

export interface SystemEmail {
  to: string;
  subject: string;
  text: string;
}

export interface DeliveredEmail {
  messageId: string;
  accepted: string[];
}

export interface StayflowActivities {
  /** Sends an operational email (not a playbook step) straight through the SMTP transport. */
  deliverSystemEmail(email: SystemEmail): Promise<DeliveredEmail>;
}

/**
 * How a step's effect is retried: temporary failures (a 4xx from SMTP, a 503 from a webhook) back off up to ten
 * minutes apart, about two and a half hours in all. The last attempt turns a temporary failure into the step's
 * `failed` outcome, so the playbook's failure route runs instead of the whole run failing.
 */
export const EFFECT_RETRY = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
  maximumAttempts: 20,
} as const;

/** Which run an effect belongs to, for the activity that delivers it (recipients, template variables, records). */
export interface EffectRun extends EffectWhen {
  accountId: string;
  playbookKey: string;
  playbookName: string;
  version: number;
}

/** The playbook interpreter's side effects, one activity per step; the key (run, step) makes retries idempotent. */
export interface PlaybookActivities {
  /** `run` is absent only in histories recorded before it existed. */
  performEffect(request: {
    workflowId: string;
    runId: string;
    effect: Effect;
    run?: EffectRun;
  }): Promise<EffectOutcome | void>;
}

/** An account's events in the order they were recorded (`seq`, gapless per account). */
export interface RecordedAccountEvent {
  seq: number;
  name: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** What became of a request to enroll an account: started, or refused with the reason a CS person reads. */
export type EnrollmentOutcome =
  { started: true; workflowId: string; version: number } | { started: false; reason: string };

/** A run of one of the account's playbooks that is still going. */
export interface AccountRunRef {
  workflowId: string;
  playbookKey: string;
}

/**
 * The per-account entity workflow's side effects: reading the account's events, scoring it, enrolling it, and
 * finding its runs. Each is idempotent or read-only, so a retried activity changes nothing twice.
 */
export interface AccountEntityActivities {
  /** Events after `afterSeq`, oldest first; with no `afterSeq`, after the account's saved cursor. */
  accountEventsAfter(request: {
    accountId: string;
    afterSeq?: number;
    limit: number;
  }): Promise<{ events: RecordedAccountEvent[]; afterSeq: number }>;
  /** Saves how far the account's events have been applied, so a restarted entity does not apply them again. */
  saveAppliedSeq(request: { accountId: string; seq: number }): Promise<void>;
  /**
   * Scores the account now (events roll-ups, time-based signals) with the current scorecard; answers its level
   * before and after, and the scorecard version used (absent in histories recorded before it was answered).
   */
  rescoreAccount(request: { accountId: string; asOf: string }): Promise<{
    from: string;
    to: string;
    fields: Record<string, unknown>;
    scorecardVersion?: number;
  }>;
  /**
   * The account's fields as conditions see them, its time zone, and the calendar date there at `asOf` (default
   * now); undefined once the account was deleted.
   */
  accountFields(request: {
    accountId: string;
    asOf?: string;
  }): Promise<{ timeZone: string; today: string; fields: Record<string, unknown> } | undefined>;
  /** Every published playbook's current version, as trigger evaluation needs it. */
  publishedPlaybooks(): Promise<PublishedPlaybook[]>;
  /**
   * The same, with a stamp of what is published (changed by any publish, archive or unarchive); given the stamp
   * the workflow already holds and nothing changed, the list is left out (the workflow keeps its copy).
   */
  publishedPlaybooksSince(request: { stamp?: string }): Promise<{ stamp: string; playbooks?: PublishedPlaybook[] }>;
  /** `trigger`: what enrolled the account, the run's trigger.* (absent from histories recorded before it). */
  enrollAccount(request: {
    accountId: string;
    playbookKey: string;
    reason: string;
    trigger?: RunTrigger;
  }): Promise<EnrollmentOutcome>;
  /** Runs of this account that are still going (Temporal visibility). */
  accountRuns(request: { accountId: string }): Promise<AccountRunRef[]>;
}

/** One account's changed fields (old and new values), as its entity workflow's fieldsChanged signal carries them. */
export interface AccountFieldChanges {
  accountId: string;
  changed: Record<string, { from: unknown; to: unknown }>;
}

/**
 * Messages to many accounts' entity workflows, a batch per activity: the daily sweep, a re-score after a new
 * scorecard version, and the changes a CSV import made. Each batch is safe to retry: the messages it repeats are
 * idempotent for the entity (a sweep or rescore scores again; a repeated field change re-evaluates triggers whose
 * enrollment policy decides).
 */
export interface SweepActivities {
  sweepAccounts(request: {
    asOf: string;
    after?: string;
    limit: number;
  }): Promise<{ swept: number; nextAfter?: string }>;
  /** Scores the next `limit` accounts by id; those whose score moved get the rescore message. */
  rescoreAccounts(request: {
    scorecardVersion: number;
    after?: string;
    limit: number;
  }): Promise<{ scored: number; notified: number; nextAfter?: string }>;
  /** Each account given hears of its changed fields. */
  notifyFieldChanges(request: { changes: AccountFieldChanges[] }): Promise<{ notified: number }>;
}

/** Moving runs to a newer version of their playbook (engine/workflows/migrate-runs.ts). */
export interface MigrationActivities {
  /** Asks one run to move (its migrateRun update); a run that ended or refuses is a result, not a failure. */
  migrateOneRun(request: MigrateRunsInput & { workflowId: string }): Promise<MigrateRunResult>;
  /** The audit log's entry for the whole batch, with each run's outcome. */
  recordMigration(request: MigrateRunsInput & { results: MigrateRunResult[] }): Promise<void>;
}
