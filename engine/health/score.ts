import type { Comparator, HealthRiskLevel, Scorecard, Signal, SignalClass, SignalMetric } from './scorecard.js';

// Pure scoring: metric readings in, risk score, level and the why of every signal out. The readings come from
// server/health/metrics.ts (SQL over account_events at an instant), so the same numbers can be replayed here.

/** A signal's metric at one instant. `value: null` is "no data", and the signal's `whenNoData` decides. */
export type MetricReading =
  | {
      value: number;
      /** daysSinceLast with no event at all: counted from when Stayflow began tracking the account. */
      since?: 'tracking-start';
    }
  | {
      value: null;
      /** no-events: `latest` found nothing in its window; window-not-observed: the account is younger than it. */
      reason: 'no-events' | 'window-not-observed';
    };

export interface SignalOutcome {
  signalId: string;
  label: string;
  class: SignalClass;
  /** Points this signal adds (0 when quiet). */
  points: number;
  value: number | null;
  /** One sentence a CSM understands: "1 session in the last 7 days (< 2 is a risk)". */
  why: string;
}

export interface HealthScore {
  riskScore: number;
  riskLevel: HealthRiskLevel;
  healthScore: number;
  fired: SignalOutcome[];
  quiet: SignalOutcome[];
}

/** The level for a risk score; each level starts at its threshold (default 20 low, 50 medium, 80 high). */
export function riskLevelFor(score: number, levels: Scorecard['levels']): HealthRiskLevel {
  if (score >= levels.high) return 'high';
  if (score >= levels.medium) return 'medium';
  if (score >= levels.low) return 'low';
  return 'none';
}

export function scoreAccount(scorecard: Scorecard, readings: Readonly<Record<string, MetricReading>>): HealthScore {
  const fired: SignalOutcome[] = [];
  const quiet: SignalOutcome[] = [];
  for (const signal of scorecard.signals) {
    const reading = Object.prototype.hasOwnProperty.call(readings, signal.id)
      ? readings[signal.id]!
      : ({ value: null, reason: 'no-events' } as const);
    const fires =
      reading.value === null
        ? signal.whenNoData === 'fires'
        : compare(reading.value, signal.comparator, signal.threshold);
    const outcome: SignalOutcome = {
      signalId: signal.id,
      label: signal.label,
      class: signal.class,
      points: fires ? scorecard.points[signal.class] : 0,
      value: reading.value,
      why: whySentence(signal, reading, fires),
    };
    (fires ? fired : quiet).push(outcome);
  }
  const total = fired.reduce((sum, outcome) => sum + outcome.points, 0);
  const riskScore = Math.min(scorecard.cap, total);
  return {
    riskScore,
    riskLevel: riskLevelFor(riskScore, scorecard.levels),
    healthScore: 100 - riskScore,
    fired,
    quiet,
  };
}

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    default: {
      const never: never = comparator;
      throw new Error(`unknown comparator ${String(never)}`);
    }
  }
}

const number = (n: number) => String(Math.round(n * 100) / 100);
const days = (n: number) => `${number(n)} day${n === 1 ? '' : 's'}`;
const eventsOf = (metric: SignalMetric) => [metric.event].flat().join(' or ');
/** The unit in the number's grammar: 1 session, 3 sessions; a plain string unit is used as written. */
const unitOf = (metric: SignalMetric, value: number | null, fallback: string) => {
  const unit = metric.unit;
  if (unit === undefined) return fallback;
  if (typeof unit === 'string') return unit;
  return value === 1 ? unit.one : unit.other;
};

/** "3 sessions in the last 7 days (< 2 is a risk)" — or, without data, why the signal fires or stays quiet. */
export function whySentence(signal: Signal, reading: MetricReading, fires: boolean): string {
  const { metric } = signal;
  const rule = `${signal.comparator} ${number(signal.threshold)} ${fires ? 'is' : 'would be'} a risk`;
  const window = metric.windowDays === undefined ? '' : ` in the last ${days(metric.windowDays)}`;
  if (reading.value === null) {
    const verdict = fires ? 'counted as a risk without data' : 'not judged without data';
    if (reading.reason === 'window-not-observed') {
      return `Stayflow has tracked the account for less than the ${days(metric.windowDays ?? 0)} this signal looks at (${verdict})`;
    }
    return `no ${unitOf(metric, 0, `${eventsOf(metric)} ${metric.field ?? 'event'}`)}${window} (${verdict})`;
  }
  const value = number(reading.value);
  switch (metric.aggregate) {
    case 'count':
      return `${value} ${unitOf(metric, reading.value, `${eventsOf(metric)} events`)}${window} (${rule})`;
    case 'sum':
      return `${value} ${unitOf(metric, reading.value, `${metric.field} in total from ${eventsOf(metric)}`)}${window} (${rule})`;
    case 'distinct':
      return `${value} ${unitOf(metric, reading.value, `distinct ${metric.field} values of ${eventsOf(metric)}`)}${window} (${rule})`;
    case 'latest':
      return `latest ${unitOf(metric, 1, `${eventsOf(metric)} ${metric.field}`)}${window}: ${value} (${rule})`;
    case 'daysSinceLast': {
      const what = unitOf(metric, 1, eventsOf(metric));
      return reading.since === 'tracking-start'
        ? `${days(reading.value)} since Stayflow began tracking the account, with no ${what} yet (${rule})`
        : `${days(reading.value)} since the last ${what} (${rule})`;
    }
    default: {
      const never: never = metric.aggregate;
      throw new Error(`unknown aggregate ${String(never)}`);
    }
  }
}
