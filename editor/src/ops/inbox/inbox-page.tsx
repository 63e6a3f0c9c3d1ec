import { Link, useNavigate, useParams } from 'react-router';
import { InboxView } from '../../../../engine/approvals/record.js';
import { useSession } from '../../app/session.js';
import { Empty } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { fromNow, when } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { useFilters } from '../ui/use-filters.js';
import { usePagedList } from '../ui/use-paged-list.js';
import { ApprovalDetail } from './approval-detail.js';
import '../ops.css';

const VIEW_WORDS: Record<InboxView, string> = {
  mine: 'Waiting on me',
  team: 'My team',
  overdue: 'Overdue',
  decided: 'Decided',
  open: 'Every open one',
};
const EMPTY_WORDS: Record<InboxView, string> = {
  mine: 'Nothing waits on you',
  team: 'Nothing waits on your team',
  overdue: 'Nothing is overdue',
  decided: 'Nothing decided yet',
  open: 'No approval is open',
};

/**
 * The approvals inbox: what waits on me (and, for a manager, on my team, escalations included), overdue ones,
 * decided ones; overdue first within each, then by due time. The chosen approval opens beside the list.
 */
export function InboxPage() {
  const session = useSession();
  const { approvalId } = useParams();
  const navigate = useNavigate();
  const [filters, setFilters] = useFilters(['view'] as const);
  const parsed = InboxView.safeParse(filters.view);
  const view: InboxView = parsed.success ? parsed.data : 'mine';
  const views = InboxView.options.filter((v) => v !== 'team' || session?.user.role === 'manager');
  const counts = useAsync((signal) => opsApi.approvalCounts(signal), [view]);
  // A new view shows "loading" rather than the previous view's approvals (usePagedList does that on new deps).
  const list = usePagedList((cursor, signal) => opsApi.approvals({ view, limit: '100', cursor }, signal), [view]);
  const chosen = useAsync(
    (signal) => (approvalId ? opsApi.approval(approvalId, signal) : Promise.resolve(undefined)),
    [approvalId],
  );
  const countOf = (v: InboxView) => (counts.status === 'ready' && v !== 'open' ? counts.data[v] : undefined);
  return (
    <div className="page wide">
      <h1>Inbox</h1>
      <nav className="tabs-bar" aria-label="Inbox views">
        {views.map((v) => (
          <Link
            key={v}
            to={`/inbox?view=${v}`}
            className={v === view ? 'active' : undefined}
            aria-current={v === view ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              setFilters({ view: v });
            }}
          >
            {VIEW_WORDS[v]}
            {countOf(v) !== undefined && <span className="badge">{countOf(v)}</span>}
          </Link>
        ))}
        <Link to="/tasks">Tasks →</Link>
      </nav>
      <div className="split">
        <AsyncView
          state={list.state}
          what="approvals"
          isEmpty={(data) => data.items.length === 0}
          empty={<Empty title={EMPTY_WORDS[view]} />}
        >
          {(data) => (
            <div>
              <ul className="list-select" data-testid="approval-list" aria-label={VIEW_WORDS[view]}>
                {[...data.items]
                  .sort((a, b) => Number(b.overdue) - Number(a.overdue))
                  .map((approval) => (
                    <li key={approval.id}>
                      <Link
                        to={`/inbox/${approval.id}?view=${view}`}
                        aria-current={approval.id === approvalId ? 'true' : undefined}
                      >
                        <span className="title">{approval.title}</span>
                        {approval.account.name ?? 'an account'}
                        {approval.level > 0 && <span className="badge">escalated</span>}
                        {approval.overdue && <span className="state-tag overdue">overdue</span>}
                        <span className="muted" style={{ display: 'block' }}>
                          {approval.decision
                            ? `${approval.status} ${when(approval.decision.at)}`
                            : `due ${fromNow(approval.dueAt)}`}
                        </span>
                      </Link>
                    </li>
                  ))}
              </ul>
              <LoadMore list={list} what="approvals" />
            </div>
          )}
        </AsyncView>
        <div>
          {!approvalId && <p className="muted">Choose an approval to see what it proposes and decide.</p>}
          {approvalId && (
            <AsyncView state={chosen} what="the approval">
              {(approval) =>
                approval && (
                  <ApprovalDetail
                    key={approval.id}
                    approval={approval}
                    onDecided={() => {
                      list.state.reload();
                      counts.reload();
                      chosen.reload();
                      void navigate(`/inbox/${approval.id}?view=${view}`, { replace: true });
                    }}
                  />
                )
              }
            </AsyncView>
          )}
        </div>
      </div>
    </div>
  );
}
