import type { HealthRiskLevel } from '../../../../engine/health/scorecard.js';

/** An account's risk level as a label with its colour (the colour is never the only cue: the word is there). */
export function RiskBadge({ level }: { level: HealthRiskLevel | 'unscored' | null | undefined }) {
  const shown = level ?? 'unscored';
  return (
    <span className={`risk risk-${shown}`}>
      {shown === 'none' ? 'no risk' : shown === 'unscored' ? 'not scored' : `${shown} risk`}
    </span>
  );
}
