import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { Empty } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi, type CaughtMailSummary } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { when } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { useFilters } from '../ui/use-filters.js';
import { usePagedList } from '../ui/use-paged-list.js';
import { EmailFrame, OutboxTabs } from './outbox-tabs.js';
import '../ops.css';

const COLUMNS: Column<CaughtMailSummary>[] = [
  { header: 'Subject', cell: (m) => <Link to={`/outbox/caught/${m.id}`}>{m.subject || '(no subject)'}</Link> },
  { header: 'To', cell: (m) => m.to.join(', ') },
  { header: 'From', cell: (m) => m.from },
  { header: 'Received', className: 'nowrap', cell: (m) => when(m.receivedAt) },
];

/** The mail the embedded SMTP server caught (development and tests): every message, newest first. */
export function CaughtMailPage() {
  const [filters, setFilters] = useFilters(['to'] as const);
  const [to, setTo] = useState(filters.to ?? '');
  const mail = usePagedList((cursor, signal) => opsApi.caughtMail(filters.to, cursor, signal), [filters.to]);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ to });
  };
  return (
    <div className="page wide">
      <h1>Outbox</h1>
      <OutboxTabs />
      <form className="filters" onSubmit={apply} aria-label="Filter caught mail">
        <label className="field">
          <span>To (address)</span>
          <input type="email" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit">Apply</button>
      </form>
      <AsyncView
        state={mail.state}
        what="caught mail"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title="No mail caught">With SMTP_URL set, mail goes to your relay instead.</Empty>}
      >
        {(data) => (
          <>
            <DataTable rows={data.items} columns={COLUMNS} rowKey={(m) => m.id} testId="caught-list" />
            <LoadMore list={mail} what="messages" />
          </>
        )}
      </AsyncView>
    </div>
  );
}

export function CaughtMessagePage() {
  const { messageId = '' } = useParams();
  const message = useAsync((signal) => opsApi.caughtMessage(messageId, signal), [messageId]);
  return (
    <div className="page wide">
      <p>
        <Link to="/outbox/caught">← Caught mail</Link>
      </p>
      <AsyncView state={message} what="the message">
        {(m) => (
          <>
            <h1>{m.subject || '(no subject)'}</h1>
            <dl className="facts">
              <dt>From</dt>
              <dd>{m.from}</dd>
              <dt>To</dt>
              <dd>{m.to.join(', ')}</dd>
              <dt>Received</dt>
              <dd>{when(m.receivedAt)}</dd>
            </dl>
            <div className="ops-grid">
              <section aria-labelledby="caught-html">
                <h2 id="caught-html">HTML</h2>
                {m.html ? <EmailFrame html={m.html} title="The message's HTML" /> : <p className="muted">None.</p>}
              </section>
              <section aria-labelledby="caught-text">
                <h2 id="caught-text">Text</h2>
                {m.text ? (
                  <pre className="text-part" tabIndex={0} aria-label="Text part">
                    {m.text}
                  </pre>
                ) : (
                  <p className="muted">None.</p>
                )}
              </section>
            </div>
          </>
        )}
      </AsyncView>
    </div>
  );
}
