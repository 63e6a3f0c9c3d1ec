import { DateTime } from 'luxon';
import type { EnrollmentAccount } from '../../engine/playbook/enrollment.js';
import type { Db } from '../db/database.js';
import { latestHealthOf } from '../health/service.js';
import { isDomainError } from '../errors.js';
import { accountSnapshot } from './store.js';

/**
 * The account as triggers, exit criteria and branches see it: its snapshot's fields plus the computed health
 * fields (riskScore, riskLevel, healthScore) of its newest score, when it has one; not_found for an unknown account.
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

/**
 * The fields an account's workflow evaluates triggers against, with "today" in the account's time zone as of an
 * instant (the sweep's, or now); undefined for an account deleted since.
 */
export async function accountFieldsAsOf(db: Db, accountId: string, asOf?: string) {
  let account;
  try {
    account = await accountConditionFields(db, accountId);
  } catch (error) {
    if (isDomainError(error, 'not_found')) return undefined;
    throw error;
  }
  const at = asOf ? DateTime.fromISO(asOf) : DateTime.now();
  return { timeZone: account.timeZone, today: at.setZone(account.timeZone).toISODate()!, fields: account.fields };
}
