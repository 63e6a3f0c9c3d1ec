import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { CsmTask } from '../../../../engine/tasks/task.js';
import { useSession } from '../../app/session.js';
import { Empty, ErrorMessage } from '../../ui/states.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { fromNow, when } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { useFilters } from '../ui/use-filters.js';
import { usePagedList } from '../ui/use-paged-list.js';
import '../ops.css';

const STATUSES = ['open', 'done', 'dismissed'] as const;

/**
 * The tasks playbooks assigned: mine, or my team's (everyone's for those who see every account); open ones with the
 * overdue first. Done with an outcome note, dismissed with why, reopened.
 */
export function TasksPage() {
  const session = useSession();
  const [filters, setFilters] = useFilters(['view', 'status', 'accountId'] as const);
  const ownWork = session?.user.role === 'csm' || session?.user.role === 'manager';
  // CSMs and managers start with their own tasks; those who oversee every account, with everyone's.
  const view = filters.view ?? (ownWork ? 'mine' : 'all');
  const status = filters.status ?? 'open';
  const me = session?.user.email;
  const tasks = usePagedList(
    (cursor, signal) =>
      opsApi.tasks(
        { status, accountId: filters.accountId, assignee: view === 'mine' ? me : undefined, limit: '100', cursor },
        signal,
      ),
    [status, view, me, filters.accountId],
  );
  const othersLabel = session?.user.role === 'manager' ? 'My team’s' : 'Everyone’s';
  return (
    <div className="page wide">
      <h1>Tasks</h1>
      <div className="filters" role="group" aria-label="Which tasks">
        <label className="field">
          <span>Whose</span>
          <select value={view} onChange={(e) => setFilters({ view: e.target.value })}>
            <option value="mine">Mine</option>
            <option value="all">{othersLabel}</option>
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={status} onChange={(e) => setFilters({ status: e.target.value })}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {filters.accountId && (
          <button type="button" className="link" onClick={() => setFilters({ accountId: undefined })}>
            Show every account’s tasks
          </button>
        )}
      </div>
      <AsyncView
        state={tasks.state}
        what="tasks"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title={`No ${status} tasks`}>Playbooks add tasks here for calls, meetings and reviews.</Empty>}
      >
        {(data) => (
          <>
            <ul className="list-select" data-testid="task-list">
              {data.items.map((task) => (
                <li key={task.id}>
                  <TaskItem task={task} onChanged={tasks.state.reload} />
                </li>
              ))}
            </ul>
            <LoadMore list={tasks} what="tasks" />
          </>
        )}
      </AsyncView>
    </div>
  );
}

function TaskItem({ task, onChanged }: { task: CsmTask; onChanged: () => void }) {
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const act = async (action: 'complete' | 'dismiss' | 'reopen') => {
    setFailure(undefined);
    try {
      await opsApi.setTask(task.id, action, note.trim() || undefined);
      onChanged();
    } catch (error) {
      setFailure(error);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void act('complete');
  };
  const noteId = `note-${task.id}`;
  return (
    <article className="card" aria-labelledby={`task-${task.id}`}>
      <h2 id={`task-${task.id}`}>
        {task.title}{' '}
        <span className={`state-tag ${task.overdue ? 'overdue' : task.status}`}>
          {task.overdue ? 'overdue' : task.status}
        </span>
      </h2>
      <p className="muted">
        {task.kind} · due {when(task.dueAt)} ({fromNow(task.dueAt)}) ·{' '}
        {task.account.id ? (
          <Link to={`/accounts/${task.account.id}`}>{task.account.name ?? 'the account'}</Link>
        ) : (
          (task.account.name ?? 'no account')
        )}
        {task.playbook && ` · ${task.playbook.name} v${task.playbook.version}`} ·{' '}
        {task.assignee.email ?? `unassigned (${task.assignee.note ?? 'no owner'})`}
      </p>
      {task.instructions && <p>{task.instructions}</p>}
      {task.status === 'open' ? (
        <form onSubmit={submit}>
          <label className="field" htmlFor={noteId}>
            <span>Outcome note (what came of it, or why it is not needed)</span>
          </label>
          <textarea
            id={noteId}
            rows={2}
            cols={60}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={2000}
          />
          <div className="actions">
            <button type="submit" className="primary">
              Mark done
            </button>
            <button type="button" onClick={() => void act('dismiss')}>
              Dismiss
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>
            {task.status === 'done' ? 'Done' : 'Dismissed'} {when(task.completedAt)}
            {task.note && `: ${task.note}`}
          </p>
          <button type="button" onClick={() => void act('reopen')}>
            Reopen
          </button>
        </>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
    </article>
  );
}
