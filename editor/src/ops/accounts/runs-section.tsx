import { Link } from 'react-router';
import { OPEN_STATUSES } from '../../api/runs.js';
import { useAsync } from '../../ui/use-async.js';
import { humanize } from '../../ui/words.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { fromNow, when } from '../ui/format.js';
import { stepWords, waitingWords } from '../../runs/run-words.js';

const OPEN = new Set<string>(OPEN_STATUSES);

/** The runs an account is in and where each stands: for a waiting run, what it waits for and until when. */
export function RunsSection({ accountId }: { accountId: string }) {
  const runs = useAsync(
    async (signal) => {
      const { items } = await opsApi.runs({ account: accountId, limit: '100' }, signal);
      // Only open runs wait on something; a few per account, so each is asked where it stands.
      const details = await Promise.all(
        items.map((run) =>
          OPEN.has(run.status) ? opsApi.run(run.workflowId, signal).catch(() => undefined) : undefined,
        ),
      );
      return items.map((run, i) => ({ run, detail: details[i] }));
    },
    [accountId],
  );
  return (
    <section className="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Playbook runs</h2>
      <AsyncView state={runs} what="runs" isEmpty={(data) => data.length === 0}>
        {(data) => (
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Playbook</th>
                <th scope="col">Status</th>
                <th scope="col">Where it stands</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {data.map(({ run, detail }) => {
                const waiting = detail?.position?.waiting;
                return (
                  <tr key={`${run.workflowId}/${run.runId}`}>
                    <td>
                      <Link to={`/runs/${encodeURIComponent(run.workflowId)}`}>
                        {run.playbookName ?? run.playbook ?? run.workflowId}
                      </Link>
                      {run.version !== null && <span className="muted"> v{run.version}</span>}
                    </td>
                    <td>{humanize(run.status)}</td>
                    <td>
                      {detail
                        ? stepWords(detail.nodeLabel, detail.position?.nodeId ?? run.node)
                        : stepWords(run.nodeLabel, run.node)}
                      {waiting && (
                        <div className="muted">
                          waits for {waitingWords(waiting)} until {when(waiting.until)} ({fromNow(waiting.until)})
                        </div>
                      )}
                    </td>
                    <td className="nowrap">{when(run.startedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </AsyncView>
    </section>
  );
}
