import { useId, useState } from 'react';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { playbooksApi } from '../api/playbooks.js';
import { ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { Dialog } from '../ui/dialog.js';

/** The server keeps at most this much of a note (POST /api/playbooks/:id/publish refuses more). */
const NOTE_MAX = 500;

/**
 * Publishing, after seeing its impact: the runs in flight on the current version and where they stand. They stay
 * on that version; only new enrollments take the new one. A note says why, for whoever reads the versions later.
 * A draft that runs exactly like the current version makes no new version: the dialog says so and stays open.
 */
export function PublishDialog({
  playbookKey,
  stepLabel,
  problems,
  saveDraft,
  onPublished,
  onClose,
}: {
  playbookKey: string;
  stepLabel: (id: string) => string;
  problems: number;
  saveDraft: () => Promise<boolean>;
  onPublished: (version: number) => void;
  onClose: () => void;
}) {
  const impact = useAsync((signal) => playbooksApi.impact(playbookKey, signal), [playbookKey]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [note, setNote] = useState('');
  const [unchangedSince, setUnchangedSince] = useState<number>();
  const noteId = useId();
  const publish = async () => {
    setBusy(true);
    setFailure(undefined);
    setUnchangedSince(undefined);
    try {
      if (!(await saveDraft())) return;
      const answer = await playbooksApi.publish(playbookKey, note.trim() || undefined);
      if (answer.unchanged) setUnchangedSince(answer.version);
      else onPublished(answer.version);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const rows =
    impact.status === 'ready'
      ? Object.entries(impact.data.byNode).map(([id, runs]) => ({ step: stepLabel(id), runs }))
      : [];
  return (
    <Dialog title="Publish a new version" onClose={onClose}>
      {impact.status === 'loading' && <Loading what="the runs in flight" />}
      {impact.status === 'error' && <ErrorMessage error={impact.error} onRetry={impact.reload} />}
      {impact.status === 'ready' && (
        <div data-testid="publish-impact">
          {impact.data.version === null ? (
            <p>This playbook has never been published: the first version starts enrolling accounts.</p>
          ) : impact.data.inFlight === 0 ? (
            <p>No account is going through version {impact.data.version} now.</p>
          ) : (
            <>
              <p>
                {impact.data.inFlight} account{impact.data.inFlight === 1 ? ' is' : 's are'} going through version{' '}
                {impact.data.version}. They finish on it; new enrollments take the new version.
              </p>
              <div className="chart" aria-hidden="true">
                <ResponsiveContainer width="100%" height={Math.max(80, rows.length * 28)}>
                  <BarChart data={rows} layout="vertical" margin={{ left: 10 }}>
                    <XAxis type="number" allowDecimals={false} />
                    <YAxis type="category" dataKey="step" width={160} />
                    <Tooltip />
                    <Bar dataKey="runs" fill="#3b6fd8" />
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <table className="table compact">
                <caption>Runs in flight by step</caption>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.step}>
                      <th scope="row">{r.step}</th>
                      <td>{r.runs}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
      {problems > 0 && (
        <p className="state state-error">
          The draft has {problems} problem{problems === 1 ? '' : 's'}; fix {problems === 1 ? 'it' : 'them'} to publish.
        </p>
      )}
      <div className="field">
        <label htmlFor={noteId}>Note (optional)</label>
        <textarea
          id={noteId}
          value={note}
          maxLength={NOTE_MAX}
          rows={3}
          placeholder="What changed and why, for whoever reads the versions later"
          aria-describedby={`${noteId}-count`}
          onChange={(e) => setNote(e.target.value)}
        />
        <small id={`${noteId}-count`} className="field-hint">
          {note.length} / {NOTE_MAX}
        </small>
      </div>
      {unchangedSince !== undefined && (
        <p className="notice" role="status" data-testid="publish-unchanged">
          Nothing changed since version {unchangedSince}: the draft runs exactly as that version does, so no new version
          was made and the note was not kept. The draft itself is saved.
        </p>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={busy || problems > 0 || impact.status !== 'ready'}
          onClick={() => void publish()}
        >
          {busy ? 'Publishing…' : 'Save and publish'}
        </button>
        <button type="button" onClick={onClose}>
          {unchangedSince === undefined ? 'Cancel' : 'Close'}
        </button>
      </div>
    </Dialog>
  );
}
