import { useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Dashboard } from '../../../../engine/dashboard/schema.js';
import { count, counted, onDay } from '../ui/format.js';
import { accountsLink, emailsLink, runsLink } from './links.js';

const EMAIL_STATES = [
  ['sent', '#1f6f3a'],
  ['failed', '#b3261e'],
  ['skipped', '#b45309'],
  ['uncertain', '#7b3fa0'],
  ['queued', '#7a869b'],
] as const;

export function EmailsCard({ emails, owner }: { emails: Dashboard['emails']; owner: string | null }) {
  const totals = Object.fromEntries(
    EMAIL_STATES.map(([state]) => [state, emails.byDay.reduce((n, day) => n + day[state], 0)]),
  ) as Record<(typeof EMAIL_STATES)[number][0], number>;
  const data = emails.byDay.map((d) => ({ ...d, label: onDay(d.day) }));
  return (
    <section className="card" aria-labelledby="dash-emails" data-testid="dash-emails">
      <h2 id="dash-emails">
        Emails, {onDay(emails.from)} – {onDay(emails.to)}
      </h2>
      <div className="figures">
        {EMAIL_STATES.map(([state]) => (
          <Link
            key={state}
            to={emailsLink(owner, { state, from: emails.from, to: emails.to })}
            data-testid={`dash-emails-${state}`}
          >
            <span className="figure">{count(totals[state])}</span>
            <span className="label">{state}</span>
          </Link>
        ))}
      </div>
      <div className="chart-box" role="img" aria-label="Emails per day by state; the totals are linked above.">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} accessibilityLayer={false}>
            <CartesianGrid stroke="#e3e7ee" />
            <XAxis dataKey="label" stroke="#4b5568" interval="preserveStartEnd" />
            <YAxis allowDecimals={false} stroke="#4b5568" width={40} />
            <Tooltip />
            <Legend />
            {EMAIL_STATES.map(([state, colour]) => (
              <Bar key={state} dataKey={state} stackId="emails" fill={colour} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

export function ApprovalsCard({ approvals }: { approvals: Dashboard['approvals'] }) {
  return (
    <section className="card" aria-labelledby="dash-approvals" data-testid="dash-approvals">
      <h2 id="dash-approvals">Approvals</h2>
      <div className="figures">
        <Link to="/inbox?view=open">
          <span className="figure">{count(approvals.pending)}</span>
          <span className="label">waiting for a decision</span>
        </Link>
        <Link to="/inbox?view=decided">
          <span className="figure">{count(approvals.decided)}</span>
          <span className="label">decided in the period</span>
        </Link>
        <span className="figure-item">
          <span className="figure">
            {approvals.medianHoursToDecision === null ? '—' : `${approvals.medianHoursToDecision} h`}
          </span>
          <span className="label">median time to decide</span>
        </span>
      </div>
    </section>
  );
}

export function GoalsCard({ goals, owner }: { goals: Dashboard['timeToGoal']; owner: string | null }) {
  return (
    <section className="card" aria-labelledby="dash-goals" data-testid="dash-goals">
      <h2 id="dash-goals">Time to first value</h2>
      {goals.length === 0 && <p className="muted">No published playbook has a goal reached by an event.</p>}
      {goals.map((goal) => (
        <div key={`${goal.playbook.key}-${goal.event}`}>
          <h3>
            {goal.playbook.name}: {goal.goal}
          </h3>
          <div className="figures">
            <span className="figure-item">
              <span className="figure">{goal.medianDays === null ? '—' : `${goal.medianDays} d`}</span>
              <span className="label">median from enrollment to {goal.event}</span>
            </span>
            <Link to={runsLink(owner, { playbook: goal.playbook.key })}>
              <span className="figure">
                {count(goal.reached)} / {count(goal.started)}
              </span>
              <span className="label">runs whose account reached it</span>
            </Link>
          </div>
        </div>
      ))}
    </section>
  );
}

type RenewalState = Dashboard['renewals']['states'][number];

export function RenewalsCard({ renewals, owner }: { renewals: Dashboard['renewals']; owner: string | null }) {
  const [shown, setShown] = useState<RenewalState>();
  const rows = shown
    ? renewals.upcoming.filter((u) => u.state === shown.state && u.nodeId === shown.nodeId && u.cadence === shown.label)
    : renewals.upcoming;
  return (
    <section className="card" aria-labelledby="dash-renewals" data-testid="dash-renewals">
      <h2 id="dash-renewals">
        Renewals until {onDay(renewals.to)}:{' '}
        <Link
          to={accountsLink(owner, { renewalFrom: renewals.from, renewalTo: renewals.to })}
          data-testid="dash-renewals-count"
        >
          {counted(renewals.accounts, 'account')}
        </Link>
      </h2>
      <p className="muted">
        {renewals.playbook ? `Cadence: ${renewals.playbook.name}.` : 'No published playbook follows the renewal date.'}{' '}
        Choose a state to list its accounts below.
      </p>
      <div className="figures" role="group" aria-label="Where the renewing accounts stand">
        {renewals.states.map((state) => (
          <button
            type="button"
            key={`${state.state}-${state.nodeId}-${state.label}`}
            className="link"
            aria-pressed={shown === state}
            onClick={() => setShown(shown === state ? undefined : state)}
          >
            {count(state.accounts)} · {state.label}
          </button>
        ))}
      </div>
      {rows.length > 0 && (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Renews</th>
              <th scope="col">Cadence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.accountId}>
                <td>
                  <Link to={`/accounts/${u.accountId}`}>{u.name}</Link>
                </td>
                <td className="nowrap">{onDay(u.renewalDate)}</td>
                <td>
                  {u.workflowId ? <Link to={`/runs/${encodeURIComponent(u.workflowId)}`}>{u.cadence}</Link> : u.cadence}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
