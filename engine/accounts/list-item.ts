import { z } from 'zod';
import { HealthRiskLevel } from '../health/scorecard.js';
import { Account } from './schema.js';

// An account as the accounts list shows it: the record and where its health stands now (its newest score), so a
// portfolio can be read — and filtered — by risk without opening each account.

export const HealthSummary = z
  .object({
    riskLevel: HealthRiskLevel,
    riskScore: z.number(),
    healthScore: z.number(),
    computedAt: z.iso.datetime(),
  })
  .meta({ id: 'HealthSummary', description: 'The newest score; null until the account is first scored.' });
export type HealthSummary = z.infer<typeof HealthSummary>;

export const AccountListItem = Account.extend({ health: HealthSummary.nullable() }).meta({ id: 'AccountListItem' });
export type AccountListItem = z.infer<typeof AccountListItem>;
