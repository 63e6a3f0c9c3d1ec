import { useEffect, useState, type FormEvent } from 'react';
import type { AuditEntry } from '../../../../engine/audit/entry.js';
import { Empty } from '../../ui/states.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { when } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { useFilters } from '../ui/use-filters.js';
import { usePagedList } from '../ui/use-paged-list.js';
import { SettingsTabs } from './settings-tabs.js';
import '../ops.css';

const FILTERS = ['action', 'targetKind', 'since', 'until'] as const;
const LIMIT = 100;

/** A day picked in the form as the API's instant: the start of that day, UTC. */
const startOf = (day: string | undefined) => (day ? `${day}T00:00:00Z` : undefined);
/** The end of a day picked as "until": the start of the next one (the API's `until` is exclusive). */
const endOf = (day: string | undefined) =>
  day ? new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString() : undefined;

/** What changed, in one line: the entry's detail as `key: value` pairs (values as JSON when not plain text). */
function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

const COLUMNS: Column<AuditEntry>[] = [
  { header: 'When', className: 'nowrap', cell: (entry) => when(entry.at) },
  {
    header: 'Who',
    cell: (entry) => (
      <>
        {entry.actor.name}
        <div className="muted">{entry.actor.kind}</div>
      </>
    ),
  },
  { header: 'What', cell: (entry) => <code>{entry.action}</code> },
  {
    header: 'On',
    cell: (entry) =>
      entry.target ? (
        <>
          {entry.target.kind} <span className="muted">{entry.target.id}</span>
        </>
      ) : (
        '—'
      ),
  },
  { header: 'Detail', cell: (entry) => detailText(entry.detail) || '—' },
  { header: 'From', className: 'nowrap', cell: (entry) => entry.ip ?? '—' },
];

/** The audit log, newest first: who published, decided, changed settings, made or revoked tokens, failed to sign in. */
export function AuditPage() {
  const [filters, setFilters] = useFilters(FILTERS);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const entries = usePagedList(
    (cursor, signal) =>
      opsApi.audit(
        {
          action: filters.action,
          targetKind: filters.targetKind,
          since: startOf(filters.since),
          until: endOf(filters.until),
          limit: String(LIMIT),
          cursor,
        },
        signal,
      ),
    [filters],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ ...draft, action: draft.action?.trim(), targetKind: draft.targetKind?.trim() });
  };
  return (
    <div className="page wide">
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Audit log</h2>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        <label className="field">
          <span>Action (e.g. token.created, or token.*)</span>
          <input
            type="search"
            value={draft.action ?? ''}
            onChange={(e) => setDraft({ ...draft, action: e.target.value || undefined })}
          />
        </label>
        <label className="field">
          <span>On (kind: token, user, playbook…)</span>
          <input
            type="search"
            value={draft.targetKind ?? ''}
            onChange={(e) => setDraft({ ...draft, targetKind: e.target.value || undefined })}
          />
        </label>
        <label className="field">
          <span>From (UTC day)</span>
          <input
            type="date"
            value={draft.since ?? ''}
            onChange={(e) => setDraft({ ...draft, since: e.target.value || undefined })}
          />
        </label>
        <label className="field">
          <span>Until (UTC day)</span>
          <input
            type="date"
            value={draft.until ?? ''}
            onChange={(e) => setDraft({ ...draft, until: e.target.value || undefined })}
          />
        </label>
        <button type="submit">Apply</button>
      </form>
      <AsyncView
        state={entries.state}
        what="audit entries"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title="No audit entry matches these filters" />}
      >
        {(data) => (
          <>
            <DataTable
              rows={data.items}
              columns={COLUMNS}
              rowKey={(entry) => entry.id}
              testId="audit-list"
              label="Audit log"
            />
            <LoadMore list={entries} what="entries" one="entry" />
          </>
        )}
      </AsyncView>
    </div>
  );
}
