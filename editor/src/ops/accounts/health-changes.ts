import type { HealthRecord } from '../../../../engine/health/record.js';

type Outcome = HealthRecord['fired'][number];

/** One move of an account's health between two scores: the signals that started or stopped firing. */
export interface HealthChange {
  at: string;
  from: { score: number; level: HealthRecord['riskLevel'] } | null;
  to: { score: number; level: HealthRecord['riskLevel'] };
  started: Outcome[];
  stopped: Outcome[];
  scorecardVersion: number;
  scorecardChanged: boolean;
}

/**
 * The changes in a health history (newest first, as the API answers it), newest first: each score that differs
 * from the one before it, with the signals behind the difference. Scores that repeat the one before are left out,
 * so a daily sweep that finds nothing new adds nothing to read.
 */
export function healthChanges(history: readonly HealthRecord[]): HealthChange[] {
  const oldestFirst = [...history].reverse();
  const changes: HealthChange[] = [];
  oldestFirst.forEach((record, i) => {
    const before = oldestFirst[i - 1];
    const firedBefore = new Set(before?.fired.map((s) => s.signalId) ?? []);
    const firedNow = new Set(record.fired.map((s) => s.signalId));
    const started = record.fired.filter((s) => !firedBefore.has(s.signalId));
    const stopped = before ? before.fired.filter((s) => !firedNow.has(s.signalId)) : [];
    const moved = !before || before.healthScore !== record.healthScore || before.riskLevel !== record.riskLevel;
    if (!moved && started.length === 0 && stopped.length === 0) return;
    changes.push({
      at: record.computedAt,
      from: before ? { score: before.healthScore, level: before.riskLevel } : null,
      to: { score: record.healthScore, level: record.riskLevel },
      started,
      // What stopped firing, in the words of the newer score (its quiet list says why it is quiet now).
      stopped: stopped.map((s) => record.quiet.find((q) => q.signalId === s.signalId) ?? s),
      scorecardVersion: record.scorecardVersion,
      scorecardChanged: before !== undefined && before.scorecardVersion !== record.scorecardVersion,
    });
  });
  return changes.reverse();
}
