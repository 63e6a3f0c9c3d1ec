import type { Effect, EffectOutcome } from './interpreter/types.js';

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

/** The playbook interpreter's side effects, one activity per step; the key (run, step) makes retries idempotent. */
export interface PlaybookActivities {
  performEffect(request: { workflowId: string; runId: string; effect: Effect }): Promise<EffectOutcome | void>;
}
