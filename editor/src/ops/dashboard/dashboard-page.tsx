import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../app/session.js';
import { Empty } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi, queryString } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { when } from '../ui/format.js';
import { useFilters } from '../ui/use-filters.js';
import { ApprovalsCard, EmailsCard, GoalsCard, RenewalsCard } from './activity-cards.js';
import { HealthCard } from './health-card.js';
import { FunnelCard, RunsCard } from './runs-card.js';
import { TeamView } from './team-view.js';
import '../ops.css';

/**
 * The portfolio in numbers. Each number links to the list it counts (same filters), so "12 high risk" opens those
 * 12 accounts. CSMs see their own portfolio; anyone may narrow it to one owner; a manager also sees their whole
 * team at once (one row per member and the team's total).
 */
export function DashboardPage() {
  const session = useSession();
  const boundToOwner = session?.user.role === 'csm' || session?.user.role === 'manager';
  const isManager = session?.user.role === 'manager';
  const [filters, setFilters] = useFilters(['owner', 'view'] as const);
  const teamView = isManager && filters.view === 'team';
  const owner = filters.owner ?? (boundToOwner ? session?.user.email : undefined);
  const [draft, setDraft] = useState(owner ?? '');
  const dashboard = useAsync(
    (signal) => (teamView ? Promise.resolve(undefined) : opsApi.dashboard(owner, signal)),
    [owner, teamView],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ owner: draft.trim() || undefined });
  };
  return (
    <div className="page wide">
      <div className="page-title">
        <h1>Dashboard</h1>
        {!teamView && (
          <form className="row" onSubmit={apply} aria-label="Whose portfolio">
            <label htmlFor="dash-owner">Owner CSM</label>
            <input
              id="dash-owner"
              type="email"
              value={draft}
              placeholder="everyone"
              onChange={(e) => setDraft(e.target.value)}
            />
            <button type="submit">Show</button>
          </form>
        )}
      </div>
      {isManager && (
        <nav className="tabs-bar" aria-label="Whose numbers">
          <Link
            to={`/dashboard${queryString({ owner: filters.owner })}`}
            className={teamView ? undefined : 'active'}
            aria-current={teamView ? undefined : 'page'}
          >
            {filters.owner && filters.owner !== session?.user.email ? filters.owner : 'My accounts'}
          </Link>
          <Link
            to="/dashboard?view=team"
            className={teamView ? 'active' : undefined}
            aria-current={teamView ? 'page' : undefined}
          >
            Whole team
          </Link>
        </nav>
      )}
      {teamView ? (
        <TeamView />
      ) : (
        <AsyncView state={dashboard} what="the dashboard">
          {(d) =>
            d && (
              <>
                <p className="muted">
                  {d.owner ? `Accounts owned by ${d.owner}` : 'Every account'}, as of {when(d.asOf)}.
                </p>
                {d.health.accounts === 0 && (
                  <Empty title={d.owner ? `${d.owner} owns no account` : 'No accounts yet'}>
                    <p>
                      <Link to="/accounts/import">Import your accounts</Link> to see their health, runs and renewals
                      here.
                    </p>
                  </Empty>
                )}
                <div className="ops-grid">
                  <HealthCard health={d.health} owner={d.owner} />
                  <ApprovalsCard approvals={d.approvals} />
                  <EmailsCard emails={d.emails} owner={d.owner} />
                  <GoalsCard goals={d.timeToGoal} owner={d.owner} />
                  <RenewalsCard renewals={d.renewals} owner={d.owner} />
                  <RunsCard runs={d.runs} owner={d.owner} />
                </div>
                <h2>Funnels</h2>
                <div className="ops-grid">
                  {d.funnels.map((funnel) => (
                    <FunnelCard key={funnel.key} funnel={funnel} owner={d.owner} />
                  ))}
                </div>
              </>
            )
          }
        </AsyncView>
      )}
    </div>
  );
}
