import { z } from 'zod';
import { HealthRiskLevel, SignalClass } from './scorecard.js';

// One recorded health score as the API answers it: the level and score, and each signal with why it fired or not.

export const SignalOutcomeRecord = z.object({
  signalId: z.string(),
  label: z.string(),
  class: SignalClass,
  points: z.number(),
  value: z.number().nullable(),
  why: z.string().meta({ description: 'e.g. "1 session in the last 7 days (< 2 is a risk)".' }),
});

export const HealthRecord = z
  .object({
    accountId: z.string(),
    scorecardVersion: z.number(),
    riskScore: z.number(),
    riskLevel: HealthRiskLevel,
    healthScore: z.number().meta({ description: '100 − riskScore.' }),
    fired: z.array(SignalOutcomeRecord).meta({ description: 'The signals that add risk, each with why.' }),
    quiet: z.array(SignalOutcomeRecord),
    computedAt: z.string().meta({ description: 'The instant the score describes.' }),
  })
  .meta({ id: 'AccountHealth' });
export type HealthRecord = z.infer<typeof HealthRecord>;
