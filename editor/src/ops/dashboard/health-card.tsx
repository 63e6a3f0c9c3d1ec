import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Dashboard } from '../../../../engine/dashboard/schema.js';
import { count, counted } from '../ui/format.js';
import { RiskBadge } from '../ui/risk-badge.js';
import { accountsLink } from './links.js';

const LEVELS = ['high', 'medium', 'low', 'none', 'unscored'] as const;

export function HealthCard({ health, owner }: { health: Dashboard['health']; owner: string | null }) {
  const bands = health.buckets.map((b) => ({ band: `${b.healthMin}–${b.healthMax}`, ...b }));
  return (
    <section className="card" aria-labelledby="dash-health" data-testid="dash-health">
      <h2 id="dash-health">Health of {counted(health.accounts, 'account')}</h2>
      <div className="figures">
        {LEVELS.map((level) => (
          <Link key={level} to={accountsLink(owner, { riskLevel: level })} data-testid={`dash-level-${level}`}>
            <span className="figure">{count(health.byLevel[level])}</span>
            <span className="label">
              <RiskBadge level={level} />
            </span>
          </Link>
        ))}
      </div>
      <h3>By health score</h3>
      <div className="chart-box" role="img" aria-label="Accounts by health score band; the numbers are linked below.">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bands} accessibilityLayer={false}>
            <CartesianGrid stroke="#e3e7ee" />
            <XAxis dataKey="band" stroke="#4b5568" />
            <YAxis allowDecimals={false} stroke="#4b5568" width={40} />
            <Tooltip />
            <Bar dataKey="accounts" name="Accounts" fill="#2855b8" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="figures">
        {bands.map((b) => (
          <Link key={b.band} to={accountsLink(owner, { healthMin: b.healthMin, healthMax: b.healthMax })}>
            <span className="figure">{count(b.accounts)}</span>
            <span className="label">health {b.band}</span>
          </Link>
        ))}
      </p>
    </section>
  );
}
