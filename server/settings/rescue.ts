import type { Client } from '@temporalio/client';
import type { ContactGovernance } from '../../engine/governance/schema.js';
import { activeRunsOf } from '../playbooks/runs.js';

/**
 * Whether the account has an open run of a rescue playbook (Temporal visibility), for the quiet period; false when
 * quiet periods are off, so the sender asks Temporal only when the answer matters.
 */
export async function rescueOpen(
  temporal: Client | undefined,
  rules: ContactGovernance,
  accountId: string,
): Promise<boolean> {
  if (!temporal || !rules.quietWhileRescue.enabled || rules.quietWhileRescue.rescuePlaybooks.length === 0) return false;
  const rescues = new Set(rules.quietWhileRescue.rescuePlaybooks);
  try {
    return (await activeRunsOf({ temporal }, accountId)).some((run) => rescues.has(run.playbookKey));
  } catch {
    // Visibility that cannot answer (a server without Stayflow's search attributes) holds no email back: the
    // quiet period is a courtesy, and a send that failed on it would be retried for nothing.
    return false;
  }
}
