import { useEffect, useState } from 'react';
import { playbooksApi, type MigrationPlan, type MigrationProgress, type MigrationStarted } from '../api/playbooks.js';
import { ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';

interface Step {
  id: string;
  label: string;
  type: string;
}

/** The steps of a published version, as drawn: for the mapping's choices and its words. */
function stepsOf(definition: unknown): Step[] {
  const nodes = (definition as { nodes?: { id: string; label?: string; type: string }[] } | null)?.nodes ?? [];
  return nodes.filter((n) => n.type !== 'trigger').map((n) => ({ id: n.id, label: n.label ?? n.id, type: n.type }));
}

/**
 * Moving the running accounts of an older version to the current one: the dry run first (every run's step before
 * and after, what is unmapped), the steps the server cannot map by id chosen here by hand, then the move, whose
 * progress is shown until every run has answered. Nothing moves until "Move" is pressed.
 */
export function MigrateDialog({
  playbookKey,
  from,
  to,
  onClose,
}: {
  playbookKey: string;
  from: number;
  to: number;
  onClose: () => void;
}) {
  const [byHand, setByHand] = useState<Record<string, string>>({});
  const versions = useAsync(
    (signal) =>
      Promise.all([playbooksApi.version(playbookKey, from, signal), playbooksApi.version(playbookKey, to, signal)]),
    [playbookKey, from, to],
  );
  const plan = useAsync(
    () => playbooksApi.migrationPlan(playbookKey, { from, to, nodeMap: byHand }),
    [playbookKey, from, to, JSON.stringify(byHand)],
  );
  const [started, setStarted] = useState<MigrationStarted>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const oldSteps = versions.status === 'ready' ? stepsOf(versions.data[0].definition) : [];
  const newSteps = versions.status === 'ready' ? stepsOf(versions.data[1].definition) : [];
  const label = (steps: Step[], id: string) => steps.find((s) => s.id === id)?.label ?? id;

  const move = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      setStarted(await playbooksApi.migrate(playbookKey, { from, to, nodeMap: byHand }));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  if (started) return <MigrationUnderWay playbookKey={playbookKey} started={started} onClose={onClose} />;
  const ready: MigrationPlan | undefined = plan.status === 'ready' ? plan.data : undefined;
  // Steps to choose for: the unmapped ones, and those already chosen by hand (to change the choice).
  const choosing = ready
    ? [...new Set([...ready.problems.map((p) => p.nodeId), ...Object.keys(byHand)])].filter((id) =>
        oldSteps.some((s) => s.id === id),
      )
    : [];
  return (
    <div data-testid="migrate">
      <p>
        Accounts going through version {from} move to version {to} when the step they stand on ends (a wait keeps its
        planned end). Runs not moved stay on version {from}.
      </p>
      {(plan.status === 'loading' || versions.status === 'loading') && <Loading what="the dry run" />}
      {plan.status === 'error' && <ErrorMessage error={plan.error} onRetry={plan.reload} />}
      {versions.status === 'error' && <ErrorMessage error={versions.error} onRetry={versions.reload} />}
      {ready && versions.status === 'ready' && (
        <>
          {choosing.length > 0 && (
            <fieldset>
              <legend>Steps to map by hand</legend>
              {choosing.map((id) => (
                <label key={id} className="field">
                  <span>
                    Version {from}’s “{label(oldSteps, id)}” becomes
                  </span>
                  <select
                    value={byHand[id] ?? ''}
                    onChange={(e) =>
                      setByHand((m) => {
                        const next = { ...m };
                        if (e.target.value) next[id] = e.target.value;
                        else delete next[id];
                        return next;
                      })
                    }
                  >
                    <option value="">Choose a step of version {to}…</option>
                    {newSteps.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.label} ({s.type})
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </fieldset>
          )}
          {ready.problems.length > 0 && (
            <ul className="problems" data-testid="migrate-problems">
              {ready.problems.map((p) => (
                <li key={p.nodeId}>{p.message}</li>
              ))}
            </ul>
          )}
          <p data-testid="migrate-summary">
            {ready.runs.length === 0
              ? `No account is going through version ${from} now.`
              : `${ready.movable} of ${ready.runs.length} running account${ready.runs.length === 1 ? '' : 's'} can move${ready.refused ? `; ${ready.refused} stay on version ${from}` : ''}.`}
          </p>
          {ready.runs.length > 0 && (
            <table className="table compact" data-testid="migrate-runs">
              <caption className="visually-hidden">Where each run stands, before and after</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Now (version {from})</th>
                  <th scope="col">After (version {to})</th>
                </tr>
              </thead>
              <tbody>
                {ready.runs.slice(0, 200).map((r) => (
                  <tr key={r.workflowId}>
                    <td>{r.accountName ?? r.accountId ?? '—'}</td>
                    <td>{r.before.label}</td>
                    <td>{r.refused ? `stays: ${r.refused}` : (r.after?.label ?? '—')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !ready || ready.problems.length > 0 || ready.movable === 0}
          onClick={() => void move()}
        >
          {busy ? 'Moving…' : `Move ${ready?.movable ?? 0} run${ready?.movable === 1 ? '' : 's'} to version ${to}`}
        </button>
      </div>
    </div>
  );
}

/** The batch's progress, asked every second until every run answered. */
function MigrationUnderWay({
  playbookKey,
  started,
  onClose,
}: {
  playbookKey: string;
  started: MigrationStarted;
  onClose: () => void;
}) {
  const [progress, setProgress] = useState<MigrationProgress>();
  const [failure, setFailure] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const now = await playbooksApi.migration(playbookKey, started.migrationId, controller.signal);
        setProgress(now);
        if (now.status === 'running') timer = setTimeout(() => void poll(), 1_000);
      } catch (error) {
        if (!controller.signal.aborted) setFailure(error);
      }
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [playbookKey, started.migrationId]);
  const count = (outcome: string) => progress?.results.filter((r) => r.outcome === outcome).length ?? 0;
  return (
    <div data-testid="migrate-progress" role="status">
      {progress?.status === 'completed' ? (
        <p>
          Done: {count('moving')} run{count('moving') === 1 ? '' : 's'} move to version {started.to} at their next step
          {count('refused') ? `; ${count('refused')} refused` : ''}
          {count('ended') ? `; ${count('ended')} had ended` : ''}.
        </p>
      ) : (
        <p>
          Asking {started.runs} run{started.runs === 1 ? '' : 's'} to move… {progress?.results.length ?? 0} answered.
        </p>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
