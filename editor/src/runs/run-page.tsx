import { Link, useParams } from 'react-router';
import { runsApi } from '../api/runs.js';
import { Timeline } from '../preview/timeline.js';
import { ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { humanize } from '../ui/words.js';
import { stepWords, waitingWords } from './run-words.js';

/** One run: where it stands, what it waits for, its step log, and its history in the Temporal Web UI. */
export function RunPage() {
  const { workflowId = '' } = useParams();
  const run = useAsync((signal) => runsApi.detail(workflowId, signal), [workflowId]);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return (
    <div className="page">
      {run.status === 'loading' && <Loading what="the run" />}
      {run.status === 'error' && <ErrorMessage error={run.error} onRetry={run.reload} />}
      {run.status === 'ready' && (
        <>
          <h1>
            Run of{' '}
            {run.data.account && run.data.accountName ? (
              <Link to={`/accounts/${run.data.account}`}>{run.data.accountName}</Link>
            ) : (
              (run.data.account ?? 'an account')
            )}{' '}
            in{' '}
            {run.data.playbook ? (
              <Link to={`/playbooks/${run.data.playbook}`}>{run.data.playbookName ?? run.data.playbook}</Link>
            ) : (
              'a playbook'
            )}
          </h1>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{humanize(run.data.status)}</dd>
            <dt>Version</dt>
            <dd>{run.data.version ?? '—'}</dd>
            <dt>Stands at</dt>
            <dd>{stepWords(run.data.nodeLabel, run.data.position?.nodeId ?? run.data.node)}</dd>
            {run.data.position?.waiting && (
              <>
                <dt>Waiting for</dt>
                <dd>
                  {waitingWords(run.data.position.waiting)}, until{' '}
                  {new Date(run.data.position.waiting.until).toLocaleString()}
                </dd>
              </>
            )}
            <dt>Workflow id</dt>
            <dd>
              <code data-testid="workflow-id">{run.data.workflowId}</code>
            </dd>
            <dt>Started</dt>
            <dd>{new Date(run.data.startedAt).toLocaleString()}</dd>
          </dl>
          {run.data.temporalUiUrl ? (
            <p>
              <a href={run.data.temporalUiUrl} target="_blank" rel="noopener noreferrer">
                Open this run in the Temporal Web UI
              </a>
            </p>
          ) : (
            <p className="field-hint">
              This server has no Temporal Web UI to link to (set TEMPORAL_UI_URL); find the run there by its workflow
              id.
            </p>
          )}
          <h2>Step log</h2>
          <Timeline timeline={run.data.timeline} zone={zone} />
        </>
      )}
    </div>
  );
}
