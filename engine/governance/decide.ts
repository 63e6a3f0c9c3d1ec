import type { EmailPriority, FrequencyCapRule, PlaybookGovernance, ContactGovernance } from './schema.js';

// The one decision whether a playbook email goes to a contact: the sender asks it for each recipient at send time,
// the preview for each simulated email at its planned instant, so the preview skips exactly where a run would.
// Pure: what was sent is given, not looked up.

/** An email a contact already got: when, and from which playbook (unknown for mail outside playbook runs). */
export interface SentEmail {
  at: number;
  playbookKey?: string;
}

export interface EmailDecisionInput {
  rules: ContactGovernance;
  /** The playbook sending this email. */
  playbookKey?: string;
  /** Epoch ms: now for the sender, the planned instant for the preview. */
  at: number;
  /** Emails this contact got before (any playbook); those outside the cap's period are ignored. */
  sent: readonly SentEmail[];
  /** An open run of a rescue playbook for the account. */
  rescueOpen?: boolean;
}

export type EmailDecision = { send: true; why: string } | { send: false; code: 'cap' | 'quiet'; reason: string };

const NORMAL: PlaybookGovernance = { priority: 'normal', exempt: false, promotional: false };
const RANK: Record<EmailPriority, number> = { low: 0, normal: 1, high: 2 };

export const playbookRule = (rules: ContactGovernance, key: string | undefined): PlaybookGovernance =>
  (key !== undefined && rules.playbooks[key]) || NORMAL;

export function capPeriodMs(cap: FrequencyCapRule): number {
  return cap.period.amount * (cap.period.unit === 'days' ? 24 : 1) * 3_600_000;
}

/** "3 per 7d", as MAIL_FREQUENCY_CAP writes it. */
export function describeCap(cap: FrequencyCapRule): string {
  return `${cap.max} per ${cap.period.amount}${cap.period.unit === 'days' ? 'd' : 'h'}`;
}

export function decideEmail(input: EmailDecisionInput): EmailDecision {
  const { rules, at } = input;
  const rule = playbookRule(rules, input.playbookKey);
  if (rule.promotional && rules.quietWhileRescue.enabled && input.rescueOpen) {
    return {
      send: false,
      code: 'quiet',
      reason: 'quiet period: a rescue is open for the account, so no promotional email',
    };
  }
  if (rule.exempt) return { send: true, why: 'exempt from the frequency cap (a sequence the contact expects)' };
  const cap = rules.frequencyCap;
  if (!cap) return { send: true, why: 'no frequency cap' };
  const since = at - capPeriodMs(cap);
  const counted = input.sent.filter((e) => {
    if (e.at <= since || e.at > at) return false;
    const other = playbookRule(rules, e.playbookKey);
    return !other.exempt && RANK[other.priority] >= RANK[rule.priority];
  }).length;
  if (counted >= cap.max) {
    const scope =
      rule.priority === 'normal' ? '' : `, counting ${rule.priority === 'high' ? 'high-priority' : 'all'} emails`;
    return { send: false, code: 'cap', reason: `frequency cap reached (${describeCap(cap)}${scope})` };
  }
  return { send: true, why: `${counted + 1} of ${describeCap(cap)}` };
}
