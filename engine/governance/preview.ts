import type { EffectOutcome } from '../interpreter/types.js';
import { decideEmail, type SentEmail } from './decide.js';
import type { ContactGovernance } from './schema.js';

/** What the preview needs to govern a simulated run's emails as the sender would. */
export interface PreviewGovernance {
  rules: ContactGovernance;
  playbookKey: string;
  /** Emails the account's contact already got (a stored account's recent outbox), before the preview starts. */
  sent?: SentEmail[];
  rescueOpen?: boolean;
}

/**
 * The preview's sender: each simulated email is decided at its planned instant, and the ones that would go out
 * count against the next. Answers undefined for an email that would be sent (the simulator's "done").
 */
export function previewSender(governance: PreviewGovernance): (at: number) => EffectOutcome | undefined {
  const sent: SentEmail[] = [...(governance.sent ?? [])];
  return (at) => {
    const decision = decideEmail({ ...governance, at, sent });
    if (!decision.send) return { status: 'skipped', detail: `would be skipped: ${decision.reason}` };
    sent.push({ at, playbookKey: governance.playbookKey });
    return undefined;
  };
}
