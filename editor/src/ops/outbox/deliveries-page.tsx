import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { OutboxState, type Delivery } from '../../../../engine/email/outbox.js';
import { Empty } from '../../ui/states.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { when } from '../ui/format.js';
import { useFilters } from '../ui/use-filters.js';
import { LoadMore } from '../ui/load-more.js';
import { useDefaultOwner } from '../ui/own-portfolio.js';
import { usePagedList } from '../ui/use-paged-list.js';
import { OutboxTabs } from './outbox-tabs.js';
import '../ops.css';

const FILTERS = ['state', 'from', 'to', 'owner', 'accountId', 'workflowId'] as const;
const LIMIT = 100;

const COLUMNS: Column<Delivery>[] = [
  {
    header: 'Subject',
    cell: (email) => (
      <>
        <Link to={`/outbox/${email.id}`}>{email.subject ?? `(${email.templateKey}, not rendered yet)`}</Link>
        <div className="muted">
          {email.templateKey} · step {email.nodeId}
        </div>
      </>
    ),
  },
  {
    header: 'To',
    cell: (email) => (email.recipientName ? `${email.recipientName} <${email.recipient}>` : email.recipient),
  },
  { header: 'State', cell: (email) => <span className={`state-tag ${email.state}`}>{email.state}</span> },
  {
    header: 'Why',
    cell: (email) => email.lastError ?? (email.state === 'sent' ? email.smtpResponse : null) ?? '—',
  },
  { header: 'Made', className: 'nowrap', cell: (email) => when(email.createdAt) },
];

/** Every playbook email and where it stands: queued, sent, failed or skipped with the reason, uncertain. */
export function DeliveriesPage() {
  const [filters, setFilters] = useFilters(FILTERS);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const defaultOwner = useDefaultOwner();
  const narrowed = filters.owner ?? (filters.accountId || filters.workflowId ? undefined : defaultOwner);
  const emails = usePagedList(
    (cursor, signal) => opsApi.deliveries({ ...filters, owner: narrowed, limit: String(LIMIT), cursor }, signal),
    [filters, narrowed],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  return (
    <div className="page wide">
      <h1>Outbox</h1>
      <OutboxTabs />
      <form className="filters" onSubmit={apply} aria-label="Filter emails">
        <label className="field">
          <span>State</span>
          <select value={filters.state ?? ''} onChange={(e) => setFilters({ state: e.target.value })}>
            <option value="">Any</option>
            {OutboxState.options.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Made from (UTC day)</span>
          <input
            type="date"
            value={draft.from ?? ''}
            onChange={(e) => setDraft({ ...draft, from: e.target.value || undefined })}
          />
        </label>
        <label className="field">
          <span>Made until (UTC day)</span>
          <input
            type="date"
            value={draft.to ?? ''}
            onChange={(e) => setDraft({ ...draft, to: e.target.value || undefined })}
          />
        </label>
        <label className="field">
          <span>Owner CSM (email)</span>
          <input
            type="email"
            value={draft.owner ?? ''}
            placeholder={narrowed ?? 'everyone'}
            onChange={(e) => setDraft({ ...draft, owner: e.target.value || undefined })}
          />
        </label>
        <button type="submit">Apply</button>
      </form>
      <AsyncView
        state={emails.state}
        what="emails"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title="No email matches these filters">Playbook emails appear here as runs send them.</Empty>}
      >
        {(data) => (
          <>
            <DataTable rows={data.items} columns={COLUMNS} rowKey={(email) => email.id} testId="delivery-list" />
            <LoadMore list={emails} what="emails" />
          </>
        )}
      </AsyncView>
    </div>
  );
}
