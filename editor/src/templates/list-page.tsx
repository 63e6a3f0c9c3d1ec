import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { TemplateKey } from '../../../engine/playbook/nodes.js';
import { api } from '../api/client.js';
import type { TemplateRecord } from '../api/catalogue.js';
import { Empty, ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';

export function TemplateListPage() {
  const list = useAsync((signal) => api.get<{ items: TemplateRecord[] }>('/api/templates', signal), []);
  const navigate = useNavigate();
  const [key, setKey] = useState('');
  const keyProblem = key === '' ? undefined : TemplateKey.safeParse(key).error?.issues[0]?.message;
  return (
    <div className="page">
      <div className="page-title">
        <h1>Email templates</h1>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (key && !keyProblem) void navigate(`/templates/${encodeURIComponent(key)}`);
          }}
        >
          <label htmlFor="new-template-key">New template key</label>
          <input
            id="new-template-key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="e.g. onboarding-day8"
            aria-invalid={keyProblem ? true : undefined}
          />
          <button type="submit" disabled={!key || keyProblem !== undefined}>
            Create
          </button>
          {keyProblem && <span className="field-error">Key {keyProblem}</span>}
        </form>
      </div>
      {list.status === 'loading' && <Loading what="templates" />}
      {list.status === 'error' && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && list.data.items.length === 0 && <Empty title="No templates yet" />}
      {list.status === 'ready' && list.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Languages</th>
              <th scope="col">Origin</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((t) => (
              <tr key={t.key}>
                <td>
                  <Link to={`/templates/${encodeURIComponent(t.key)}`}>{t.name}</Link>
                </td>
                <td>
                  <code>{t.key}</code>
                </td>
                <td>{Object.keys(t.locales).join(', ')}</td>
                <td>{t.origin === 'shipped' ? (t.edited ? 'shipped, edited' : 'shipped') : 'custom'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
