import { Link } from 'react-router';
import type { Dashboard } from '../../../../engine/dashboard/schema.js';
import { Empty, ErrorMessage } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { count, when } from '../ui/format.js';
import { accountsLink, emailsLink, runsLink } from './links.js';

// A manager's whole team at once: the dashboard of each member (and the manager's own accounts), one row each, and
// the team's total. The API answers a dashboard one owner at a time, so each figure of a row is that owner's
// dashboard number and links to the same list; the total is the sum of the rows, which every figure here allows
// (counts of disjoint portfolios: an account has one owner). Medians do not add up, so they are not totalled.

interface Figures {
  accounts: number;
  high: number;
  medium: number;
  unscored: number;
  openRuns: number;
  sent: number;
  failed: number;
  skipped: number;
  pendingApprovals: number;
  renewals: number;
}

interface Row {
  owner: string | null;
  figures: Figures;
  dashboard?: Dashboard;
  error?: unknown;
}

const EMPTY: Figures = {
  accounts: 0,
  high: 0,
  medium: 0,
  unscored: 0,
  openRuns: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  pendingApprovals: 0,
  renewals: 0,
};

const emailTotal = (d: Dashboard, state: 'sent' | 'failed' | 'skipped') =>
  d.emails.byDay.reduce((sum, day) => sum + day[state], 0);

function figuresOf(d: Dashboard): Figures {
  return {
    accounts: d.health.accounts,
    high: d.health.byLevel.high,
    medium: d.health.byLevel.medium,
    unscored: d.health.byLevel.unscored,
    openRuns: d.runs.reduce((sum, p) => sum + (p.byStatus.running ?? 0), 0),
    sent: emailTotal(d, 'sent'),
    failed: emailTotal(d, 'failed'),
    skipped: emailTotal(d, 'skipped'),
    pendingApprovals: d.approvals.pending,
    renewals: d.renewals.accounts,
  };
}

const sum = (rows: Row[]): Figures =>
  rows.reduce(
    (total, row) =>
      Object.fromEntries(
        Object.entries(total).map(([key, value]) => [key, value + row.figures[key as keyof Figures]]),
      ) as unknown as Figures,
    EMPTY,
  );

/** A figure of one owner's row, linking to the list behind it; the total row's figures are plain sums. */
function figure(row: Row, value: number, to: (d: Dashboard) => string, testId?: string) {
  if (row.error !== undefined) return '—';
  if (!row.dashboard) return <strong data-testid={testId}>{count(value)}</strong>;
  return (
    <Link to={to(row.dashboard)} data-testid={testId}>
      {count(value)}
    </Link>
  );
}

const testIdOf = (row: Row, what: string) => `team-${row.dashboard ? row.owner : 'total'}-${what}`;

const COLUMNS: Column<Row>[] = [
  {
    header: 'Owner',
    rowHeader: true,
    cell: (row) =>
      row.dashboard ? (
        <Link to={`/dashboard?owner=${encodeURIComponent(row.owner ?? '')}`}>{row.owner}</Link>
      ) : row.error !== undefined ? (
        <>
          {row.owner}
          <ErrorMessage error={row.error} />
        </>
      ) : (
        'Whole team'
      ),
  },
  {
    header: 'Accounts',
    className: 'num',
    cell: (row) => figure(row, row.figures.accounts, (d) => accountsLink(d.owner, {}), testIdOf(row, 'accounts')),
  },
  {
    header: 'High risk',
    className: 'num',
    cell: (row) =>
      figure(row, row.figures.high, (d) => accountsLink(d.owner, { riskLevel: 'high' }), testIdOf(row, 'high')),
  },
  {
    header: 'Medium risk',
    className: 'num',
    cell: (row) => figure(row, row.figures.medium, (d) => accountsLink(d.owner, { riskLevel: 'medium' })),
  },
  {
    header: 'Not scored',
    className: 'num',
    cell: (row) => figure(row, row.figures.unscored, (d) => accountsLink(d.owner, { riskLevel: 'unscored' })),
  },
  {
    header: 'Open runs',
    className: 'num',
    cell: (row) =>
      figure(row, row.figures.openRuns, (d) => runsLink(d.owner, { status: 'running' }), testIdOf(row, 'runs')),
  },
  {
    header: 'Emails sent',
    className: 'num',
    cell: (row) =>
      figure(row, row.figures.sent, (d) =>
        emailsLink(d.owner, { state: 'sent', from: d.emails.from, to: d.emails.to }),
      ),
  },
  {
    header: 'Failed',
    className: 'num',
    cell: (row) =>
      figure(row, row.figures.failed, (d) =>
        emailsLink(d.owner, { state: 'failed', from: d.emails.from, to: d.emails.to }),
      ),
  },
  {
    header: 'Skipped',
    className: 'num',
    cell: (row) =>
      figure(row, row.figures.skipped, (d) =>
        emailsLink(d.owner, { state: 'skipped', from: d.emails.from, to: d.emails.to }),
      ),
  },
  {
    header: 'Approvals waiting',
    className: 'num',
    cell: (row) => figure(row, row.figures.pendingApprovals, () => '/inbox?view=team'),
  },
  {
    header: 'Renewals coming',
    className: 'num',
    cell: (row) =>
      figure(row, row.figures.renewals, (d) =>
        accountsLink(d.owner, { renewalFrom: d.renewals.from, renewalTo: d.renewals.to }),
      ),
  },
];

/** The manager's whole team: each member's portfolio in numbers and the team's total. */
export function TeamView() {
  const team = useAsync(async (signal) => {
    const { manager, members } = await opsApi.team(signal);
    const owners = [...(manager ? [manager] : []), ...members];
    const rows = await Promise.all(
      owners.map(async (owner): Promise<Row> => {
        try {
          const dashboard = await opsApi.dashboard(owner, signal);
          return { owner, dashboard, figures: figuresOf(dashboard) };
        } catch (error) {
          if (signal.aborted) throw error;
          // One member's figures failing (a slow Temporal count) leaves the others standing.
          return { owner, error, figures: EMPTY };
        }
      }),
    );
    return { manager, members, rows, asOf: rows.find((r) => r.dashboard)?.dashboard?.asOf };
  }, []);
  return (
    <AsyncView
      state={team}
      what="your team’s numbers"
      isEmpty={(data) => data.members.length === 0}
      empty={
        <Empty title="No one is in your team yet">
          <p>An admin adds CSMs to your team (Settings, Users and teams: their manager).</p>
        </Empty>
      }
    >
      {(data) => {
        const failed = data.rows.filter((r) => r.error !== undefined).length;
        const total: Row = { owner: null, figures: sum(data.rows) };
        const first = data.rows.find((r) => r.dashboard)?.dashboard;
        return (
          <>
            <p className="muted">
              Your accounts and those of the {data.members.length} CSMs in your team
              {first && `; emails from ${first.emails.from} to ${first.emails.to}, renewals until ${first.renewals.to}`}
              {data.asOf && `, as of ${when(data.asOf)}`}. Each number opens the list behind it; the whole team’s are
              the sums of the rows
              {failed > 0 && ` (without the ${failed} whose numbers could not be read)`}.
            </p>
            <DataTable
              rows={[...data.rows, total]}
              columns={COLUMNS}
              rowKey={(row) => row.owner ?? 'whole team'}
              testId="team-dashboard"
              label="Your team in numbers"
              rowClassName={(row) => (row.owner === null ? 'total-row' : undefined)}
            />
          </>
        );
      }}
    </AsyncView>
  );
}
