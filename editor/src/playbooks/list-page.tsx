import { Link } from 'react-router';
import { playbooksApi } from '../api/playbooks.js';
import { Empty, ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';

const when = (iso: string) => new Date(iso).toLocaleString();

export function PlaybookListPage() {
  const list = useAsync((signal) => playbooksApi.list(signal), []);
  return (
    <div className="page">
      <div className="page-title">
        <h1>Playbooks</h1>
        <Link className="button primary" to="/playbooks/new">
          New playbook
        </Link>
      </div>
      {list.status === 'loading' && <Loading what="playbooks" />}
      {list.status === 'error' && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && list.data.items.length === 0 && (
        <Empty title="No playbooks yet">
          <p>
            Draw your first one: <Link to="/playbooks/new">create a playbook</Link>.
          </p>
        </Empty>
      )}
      {list.status === 'ready' && list.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Enrolled by</th>
              <th scope="col">Published</th>
              <th scope="col">Last saved</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((playbook) => (
              <tr key={playbook.id} className={playbook.archivedAt ? 'archived' : undefined}>
                <td>
                  <Link to={`/playbooks/${playbook.key}`}>{playbook.name}</Link>
                  {playbook.archivedAt && <span className="badge">archived</span>}
                </td>
                <td>
                  <code>{playbook.key}</code>
                </td>
                <td>{playbook.enrolledBy.length === 0 ? 'nobody until published' : playbook.enrolledBy.join('; ')}</td>
                <td>{playbook.currentVersion === null ? 'draft only' : `version ${playbook.currentVersion}`}</td>
                <td>{when(playbook.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
