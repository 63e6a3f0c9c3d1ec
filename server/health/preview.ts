import type { ScorecardPreview } from '../../engine/health/preview.js';
import { scoreAccount } from '../../engine/health/score.js';
import { HealthRiskLevel, Scorecard, type ScorecardInput } from '../../engine/health/scorecard.js';
import { accountIdsAfter } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { readMetricsOfMany } from './metrics.js';
import { currentScorecard } from './service.js';

// Scores every account under a draft scorecard without recording anything, next to the saved scorecard at the
// same instant — so the comparison shows what the draft changes, not what time changed since the last sweep.

const BATCH = 500;

const zero = () => Object.fromEntries(HealthRiskLevel.options.map((level) => [level, 0])) as ScorecardPreview['draft'];

export async function previewScorecard(db: Db, input: ScorecardInput, asOf = new Date()): Promise<ScorecardPreview> {
  const draft = Scorecard.parse(input);
  const saved = await currentScorecard(db);
  const result: ScorecardPreview = {
    asOf: asOf.toISOString(),
    accounts: 0,
    currentVersion: saved.version,
    current: zero(),
    draft: zero(),
    moves: [],
  };
  const moves = new Map<string, number>();
  let after: string | undefined;
  for (;;) {
    const ids = await accountIdsAfter(db, after, BATCH);
    if (ids.length === 0) break;
    const [underSaved, underDraft] = await Promise.all([
      readMetricsOfMany(db, ids, saved.definition, asOf),
      readMetricsOfMany(db, ids, draft, asOf),
    ]);
    for (const id of ids) {
      const before = underSaved.get(id);
      const next = underDraft.get(id);
      // Deleted between the id page and the metrics read: not part of the portfolio any more.
      if (!before || !next) continue;
      const from = scoreAccount(saved.definition, before).riskLevel;
      const to = scoreAccount(draft, next).riskLevel;
      result.accounts++;
      result.current[from]++;
      result.draft[to]++;
      if (from !== to) moves.set(`${from}>${to}`, (moves.get(`${from}>${to}`) ?? 0) + 1);
    }
    after = ids.at(-1);
    if (ids.length < BATCH) break;
  }
  result.moves = [...moves].map(([key, accounts]) => {
    const [from, to] = key.split('>') as [HealthRiskLevel, HealthRiskLevel];
    return { from, to, accounts };
  });
  return result;
}
