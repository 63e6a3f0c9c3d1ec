import type { EnrollmentAccount } from '../../engine/playbook/enrollment.js';
import type { Db } from '../db/database.js';
import { latestHealthOf } from '../health/service.js';
import { accountSnapshot } from './store.js';

/**
 * The account as triggers, exit criteria and branches see it: its snapshot's fields plus the computed health
 * fields (riskScore, riskLevel, healthScore) of its newest score, when it has one. 404 for an unknown account.
 */
export async function accountConditionFields(db: Db, accountId: string): Promise<EnrollmentAccount> {
  const snapshot = await accountSnapshot(db, accountId);
  const health = (await latestHealthOf(db, [accountId])).get(accountId);
  return {
    ...snapshot,
    fields: {
      ...snapshot.fields,
      ...(health && { riskScore: health.riskScore, riskLevel: health.riskLevel, healthScore: health.healthScore }),
    },
  };
}
