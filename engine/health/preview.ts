import { z } from 'zod';
import { HealthRiskLevel } from './scorecard.js';

// What a draft scorecard would do to the portfolio before it is saved: every account scored at one instant under
// the current scorecard and under the draft, by level, and how many accounts would move between levels.

const ByLevel = z.record(HealthRiskLevel, z.number().int());

export const ScorecardPreview = z
  .object({
    asOf: z.iso.datetime(),
    accounts: z.number().int(),
    currentVersion: z.number().int(),
    current: ByLevel.meta({ description: 'Accounts by level under the saved scorecard, scored now.' }),
    draft: ByLevel.meta({ description: 'Accounts by level under the draft.' }),
    moves: z
      .array(z.object({ from: HealthRiskLevel, to: HealthRiskLevel, accounts: z.number().int() }))
      .meta({ description: 'Accounts whose level the draft would change, by from → to.' }),
  })
  .meta({ id: 'ScorecardPreview' });
export type ScorecardPreview = z.infer<typeof ScorecardPreview>;
