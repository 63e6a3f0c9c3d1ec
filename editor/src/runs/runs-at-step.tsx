import { useState } from 'react';
import { Link } from 'react-router';
import { OPEN_STATUSES, runsApi, type BulkResult, type RunDetail } from '../api/runs.js';
import { ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { humanize } from '../ui/words.js';

const OPEN = new Set<string>(OPEN_STATUSES);
/** Details (what each run waits for) are fetched for this many runs; the rest are listed by account. */
const DETAILED = 50;

/** The accounts standing at one step: what each waits for and until when; cancel them or skip their wait. */
export function RunsAtStep({
  playbookKey,
  nodeId,
  label,
  onChanged,
}: {
  playbookKey: string;
  nodeId: string;
  label: string;
  onChanged: () => void;
}) {
  const runs = useAsync(
    async (signal) => {
      const { items } = await runsApi.list({ playbook: playbookKey, node: nodeId, limit: 500 }, signal);
      const open = items.filter((r) => OPEN.has(r.status));
      const details = await Promise.all(
        open.slice(0, DETAILED).map((r) => runsApi.detail(r.workflowId, signal).catch(() => undefined)),
      );
      return open.map((run, i) => ({ run, detail: details[i] as RunDetail | undefined }));
    },
    [playbookKey, nodeId],
  );
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [results, setResults] = useState<BulkResult[]>();
  const [failure, setFailure] = useState<unknown>();
  const act = async (action: 'cancel' | 'skipWait') => {
    setFailure(undefined);
    try {
      const answer = await runsApi.bulk(action, [...chosen]);
      setResults(answer.results);
      setChosen(new Set());
      runs.reload();
      onChanged();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section className="panel-section" aria-labelledby="runs-title" data-testid="runs-at-step">
      <h2 id="runs-title">Accounts at “{label}”</h2>
      {runs.status === 'loading' && <Loading what="runs" />}
      {runs.status === 'error' && <ErrorMessage error={runs.error} onRetry={runs.reload} />}
      {runs.status === 'ready' && runs.data.length === 0 && <p className="state">No account stands here now.</p>}
      {runs.status === 'ready' && runs.data.length > 0 && (
        <>
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select every run here"
                    checked={chosen.size === runs.data.length}
                    onChange={(e) => setChosen(new Set(e.target.checked ? runs.data.map((r) => r.run.workflowId) : []))}
                  />
                </th>
                <th scope="col">Account</th>
                <th scope="col">Waiting for</th>
                <th scope="col">Until</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map(({ run, detail }) => (
                <tr key={run.workflowId}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select the run of ${run.account ?? run.workflowId}`}
                      checked={chosen.has(run.workflowId)}
                      onChange={() =>
                        setChosen((s) => {
                          const next = new Set(s);
                          if (next.has(run.workflowId)) next.delete(run.workflowId);
                          else next.add(run.workflowId);
                          return next;
                        })
                      }
                    />
                  </td>
                  <td>
                    <Link to={`/runs/${encodeURIComponent(run.workflowId)}`}>{run.account ?? run.workflowId}</Link>
                  </td>
                  <td>
                    {detail?.position?.waiting
                      ? `${humanize(detail.position.waiting.kind)}: ${detail.position.waiting.detail}`
                      : humanize(run.status)}
                  </td>
                  <td>{detail?.position?.waiting ? new Date(detail.position.waiting.until).toLocaleString() : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" disabled={chosen.size === 0} onClick={() => void act('skipWait')}>
              Skip the wait ({chosen.size})
            </button>
            <button type="button" className="danger" disabled={chosen.size === 0} onClick={() => void act('cancel')}>
              Cancel runs ({chosen.size})
            </button>
          </div>
        </>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
      {results && (
        <ul className="results" role="status">
          {results.map((r) => (
            <li key={r.workflowId}>
              {r.workflowId}: {r.ok ? 'done' : r.error}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
