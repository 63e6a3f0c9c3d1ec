import type { FrequencyCapRule } from '../../engine/governance/schema.js';
import type { SentEmail } from '../../engine/governance/decide.js';
import type { Db } from '../db/database.js';
import { parseRunId } from '../playbooks/run-id.js';

// How many playbook emails one contact may get in a rolling period. MAIL_FREQUENCY_CAP (e.g. "3/7d") is the
// install's default until an operator saves contact governance (server/settings); the decision itself, with
// priorities, exemptions and quiet periods, is engine/governance/decide.ts, shared with the preview.

export interface FrequencyCap {
  max: number;
  periodMs: number;
  /** As configured, for the skip reason: "3 per 7d". */
  text: string;
}

/** "3/7d" → 3 per 7 days, "2/24h" → 2 per 24 hours; "off" → no cap. The config schema has checked the shape. */
export function parseFrequencyCap(value: string): FrequencyCap | undefined {
  const match = /^(\d+)\/(\d+)([hd])$/.exec(value.trim());
  if (!match) return undefined;
  const [, max, amount, unit] = match;
  const hours = Number(amount) * (unit === 'd' ? 24 : 1);
  return { max: Number(max), periodMs: hours * 3_600_000, text: `${max} per ${amount}${unit}` };
}

/** The same cap as contact governance writes it: whole days where the period is, else hours. */
export function capRule(cap: FrequencyCap): FrequencyCapRule {
  const hours = Math.max(1, Math.round(cap.periodMs / 3_600_000));
  return hours % 24 === 0
    ? { max: cap.max, period: { amount: hours / 24, unit: 'days' } }
    : { max: cap.max, period: { amount: hours, unit: 'hours' } };
}

/**
 * The playbook emails a recipient got since `since` (sent, or possibly sent), each with its playbook as its run's
 * workflow id names it, for the governance decision; `exceptId` is the email being decided.
 */
export async function recentSendsTo(db: Db, recipient: string, since: Date, exceptId?: string): Promise<SentEmail[]> {
  let query = db
    .selectFrom('email_outbox')
    .select(['workflow_id', 'sent_at', 'updated_at'])
    .where('recipient', '=', recipient.toLowerCase())
    .where('state', 'in', ['sent', 'sending', 'uncertain'])
    .where('updated_at', '>=', since);
  if (exceptId) query = query.where('id', '<>', exceptId);
  const rows = await query.execute();
  return rows.map((row) => ({
    at: (row.sent_at ?? row.updated_at).getTime(),
    playbookKey: parseRunId(row.workflow_id)?.playbookKey,
  }));
}
