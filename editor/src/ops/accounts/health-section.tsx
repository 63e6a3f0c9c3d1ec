import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HealthRecord } from '../../../../engine/health/record.js';
import { Empty } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { when } from '../ui/format.js';
import { RiskBadge } from '../ui/risk-badge.js';
import { healthChanges } from './health-changes.js';

const HISTORY = 90;
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const shortTime = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const TWO_DAYS = 2 * 86_400_000;

/** An account's health: the score now and why it is at risk, its history as a chart, and what moved it each time. */
export function HealthSection({ accountId }: { accountId: string }) {
  const health = useAsync((signal) => opsApi.health(accountId, HISTORY, signal), [accountId]);
  return (
    <section className="card" aria-labelledby="health-title" data-testid="account-health">
      <h2 id="health-title">Health</h2>
      <AsyncView
        state={health}
        what="health"
        isEmpty={(data) => data.latest === null}
        empty={
          <Empty title="Not scored yet">
            <p>The account is scored after its first events arrive, and every day by the sweep.</p>
          </Empty>
        }
      >
        {(data) => <HealthBody latest={data.latest!} history={data.history} />}
      </AsyncView>
    </section>
  );
}

function HealthBody({ latest, history }: { latest: HealthRecord; history: HealthRecord[] }) {
  const points = [...history].reverse().map((r) => ({ t: Date.parse(r.computedAt), score: r.healthScore }));
  const changes = healthChanges(history);
  const first = points[0];
  // A history within a day or two reads by the hour; a longer one by the day.
  const tick = (points.at(-1)?.t ?? 0) - (first?.t ?? 0) < TWO_DAYS ? shortTime : shortDate;
  return (
    <>
      <p>
        <span className="figure">{latest.healthScore}</span>
        <span className="muted">/100 health</span> <RiskBadge level={latest.riskLevel} />{' '}
        <span className="muted">
          (risk {latest.riskScore}, scorecard v{latest.scorecardVersion}, {when(latest.computedAt)})
        </span>
      </p>
      <h3>Why</h3>
      {latest.fired.length === 0 ? (
        <p>No risk signal fires.</p>
      ) : (
        <ul className="why-list" data-testid="health-why">
          {latest.fired.map((signal) => (
            <li key={signal.signalId}>
              <strong>{signal.label}</strong> (+{signal.points}, {signal.class}): {signal.why}
            </li>
          ))}
        </ul>
      )}
      <h3>Health over time</h3>
      <div
        className="chart-box"
        role="img"
        data-testid="health-chart"
        aria-label={`Health score over the last ${points.length} scores: from ${first?.score ?? latest.healthScore} to ${latest.healthScore}. The changes are listed below.`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e3e7ee" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(t: number) => tick.format(t)}
              stroke="#4b5568"
            />
            <YAxis domain={[0, 100]} stroke="#4b5568" width={36} />
            <Tooltip labelFormatter={(t) => when(new Date(Number(t)).toISOString())} />
            <Line
              type="stepAfter"
              dataKey="score"
              name="Health"
              stroke="#2855b8"
              strokeWidth={2}
              dot={points.length < 40}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <h3>What changed it</h3>
      <ol className="changes" data-testid="health-changes">
        {changes.map((change) => (
          <li key={change.at}>
            <span className="nowrap">{when(change.at)}</span>:{' '}
            {change.from ? `${change.from.score} → ${change.to.score}` : `first score ${change.to.score}`}{' '}
            <RiskBadge level={change.to.level} />
            {change.scorecardChanged && <span className="muted"> (scorecard v{change.scorecardVersion})</span>}
            <ul className="why-list">
              {change.started.map((s) => (
                <li key={`+${s.signalId}`} className="added">
                  Started: {s.label} — {s.why}
                </li>
              ))}
              {change.stopped.map((s) => (
                <li key={`-${s.signalId}`} className="removed">
                  Stopped: {s.label} — {s.why}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </>
  );
}
