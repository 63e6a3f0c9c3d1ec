import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { AccountListItem } from '../../../../engine/accounts/list-item.js';
import { HealthRiskLevel } from '../../../../engine/health/scorecard.js';
import { Segment } from '../../../../engine/playbook/account-fields.js';
import { Empty } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { onDay } from '../ui/format.js';
import { RiskBadge } from '../ui/risk-badge.js';
import { useFilters } from '../ui/use-filters.js';
import '../ops.css';

const FILTERS = [
  'q',
  'segment',
  'riskLevel',
  'owner',
  'lifecycleStage',
  'renewalFrom',
  'renewalTo',
  'healthMin',
  'healthMax',
] as const;
type Filter = (typeof FILTERS)[number];
const TEXT_FILTERS: { name: Filter; label: string; type?: string; width?: string }[] = [
  { name: 'q', label: 'Name or external id' },
  { name: 'owner', label: 'Owner CSM (email)', type: 'email' },
  { name: 'lifecycleStage', label: 'Lifecycle stage' },
  { name: 'renewalFrom', label: 'Renewal from', type: 'date' },
  { name: 'renewalTo', label: 'Renewal until', type: 'date' },
  { name: 'healthMin', label: 'Health ≥', type: 'number', width: '5rem' },
  { name: 'healthMax', label: 'Health ≤', type: 'number', width: '5rem' },
];
const PAGE = 50;

const COLUMNS: Column<AccountListItem>[] = [
  {
    header: 'Account',
    cell: (account) => (
      <>
        <Link to={`/accounts/${account.id}`}>{account.name}</Link>
        <div className="muted">{account.externalId}</div>
      </>
    ),
  },
  {
    header: 'Health',
    className: 'nowrap',
    cell: (account) => (
      <>
        <RiskBadge level={account.health?.riskLevel} />{' '}
        {account.health && <span className="muted">{account.health.healthScore}/100</span>}
      </>
    ),
  },
  { header: 'Segment', cell: (account) => account.segment ?? '—' },
  { header: 'Owner CSM', cell: (account) => account.ownerCsmName ?? account.ownerCsmEmail ?? '—' },
  { header: 'Lifecycle', cell: (account) => account.lifecycleStage ?? '—' },
  { header: 'Renewal', className: 'nowrap', cell: (account) => onDay(account.renewalDate) },
  { header: 'MRR', className: 'num', cell: (account) => account.mrr?.toLocaleString() ?? '—' },
];

/** Every account with its health now, searched and filtered in the address, a page at a time (cursor paging). */
export function AccountListPage() {
  const [filters, setFilters] = useFilters(FILTERS);
  // The text boxes are edited here and applied together (Enter or Apply); the selects apply at once.
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  // Cursors of the pages before this one, to go back; the first page has none.
  const [cursors, setCursors] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string>();
  useEffect(() => {
    setCursors([]);
    setCursor(undefined);
  }, [filters]);
  const page = useAsync(
    (signal) => opsApi.accounts({ ...filters, cursor, limit: String(PAGE) }, signal),
    [filters, cursor],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const filtered = FILTERS.some((name) => filters[name] !== undefined);
  return (
    <div className="page wide">
      <div className="page-title">
        <h1>Accounts</h1>
        <Link className="button" to="/accounts/import">
          Import CSV…
        </Link>
      </div>
      <form className="filters" onSubmit={apply} aria-label="Filter accounts">
        {TEXT_FILTERS.map((f) => (
          <label className="field" key={f.name}>
            <span>{f.label}</span>
            <input
              type={f.type ?? 'search'}
              value={draft[f.name] ?? ''}
              style={f.width ? { width: f.width } : undefined}
              min={f.type === 'number' ? 0 : undefined}
              max={f.type === 'number' ? 100 : undefined}
              onChange={(e) => setDraft({ ...draft, [f.name]: e.target.value || undefined })}
            />
          </label>
        ))}
        <label className="field">
          <span>Segment</span>
          <select value={filters.segment ?? ''} onChange={(e) => setFilters({ segment: e.target.value })}>
            <option value="">Any</option>
            {Segment.options.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Risk level</span>
          <select value={filters.riskLevel ?? ''} onChange={(e) => setFilters({ riskLevel: e.target.value })}>
            <option value="">Any</option>
            {HealthRiskLevel.options.map((level) => (
              <option key={level} value={level}>
                {level === 'none' ? 'no risk' : level}
              </option>
            ))}
            <option value="unscored">not scored yet</option>
          </select>
        </label>
        <button type="submit">Apply</button>
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => setFilters(Object.fromEntries(FILTERS.map((f) => [f, undefined])))}
          >
            Clear filters
          </button>
        )}
      </form>
      <AsyncView
        state={page}
        what="accounts"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <Empty title={filtered ? 'No account matches these filters' : 'No accounts yet'}>
            {!filtered && (
              <p>
                <Link to="/accounts/import">Import a CSV file</Link> from your CRM or billing system.
              </p>
            )}
          </Empty>
        }
      >
        {(data) => (
          <>
            <DataTable rows={data.items} columns={COLUMNS} rowKey={(account) => account.id} testId="account-list" />
            <nav className="pager" aria-label="Pages">
              <button
                type="button"
                disabled={cursors.length === 0 && cursor === undefined}
                onClick={() => {
                  setCursor(cursors.at(-1));
                  setCursors(cursors.slice(0, -1));
                }}
              >
                Previous page
              </button>
              <button
                type="button"
                disabled={data.nextCursor === null}
                onClick={() => {
                  if (cursor !== undefined) setCursors([...cursors, cursor]);
                  else setCursors([]);
                  setCursor(data.nextCursor ?? undefined);
                }}
              >
                Next page
              </button>
              <span className="muted">
                {data.items.length} account{data.items.length === 1 ? '' : 's'} on this page
              </span>
            </nav>
          </>
        )}
      </AsyncView>
    </div>
  );
}
