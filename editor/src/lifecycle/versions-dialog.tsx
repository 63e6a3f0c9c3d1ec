import { useState } from 'react';
import { playbooksApi, type VersionDetail } from '../api/playbooks.js';
import { Dialog } from '../ui/dialog.js';
import { ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { MigrateDialog } from './migrate-dialog.js';

/**
 * The published versions with who published each and why, newest first. Picking one loads it as it was drawn and
 * hands it to the editor, which marks on the canvas how the draft differs from it. From an older version, the
 * accounts still going through it can be moved to the current one (MigrateDialog).
 */
export function VersionsDialog({
  playbookKey,
  onCompare,
  onClose,
}: {
  playbookKey: string;
  onCompare: (version: VersionDetail) => void;
  onClose: () => void;
}) {
  const versions = useAsync((signal) => playbooksApi.versions(playbookKey, signal), [playbookKey]);
  const [opening, setOpening] = useState<number>();
  const [failure, setFailure] = useState<unknown>();
  const [migrateFrom, setMigrateFrom] = useState<number>();
  const current = versions.status === 'ready' ? versions.data.items[0]?.version : undefined;
  const compare = async (version: number) => {
    setOpening(version);
    setFailure(undefined);
    try {
      onCompare(await playbooksApi.version(playbookKey, version));
    } catch (error) {
      setFailure(error);
    } finally {
      setOpening(undefined);
    }
  };
  if (migrateFrom !== undefined && current !== undefined) {
    return (
      <Dialog title={`Move running accounts from version ${migrateFrom} to ${current}`} onClose={onClose}>
        <MigrateDialog
          playbookKey={playbookKey}
          from={migrateFrom}
          to={current}
          onClose={() => setMigrateFrom(undefined)}
        />
      </Dialog>
    );
  }
  return (
    <Dialog title="Published versions" onClose={onClose}>
      {versions.status === 'loading' && <Loading what="versions" />}
      {versions.status === 'error' && <ErrorMessage error={versions.error} onRetry={versions.reload} />}
      {versions.status === 'ready' && versions.data.items.length === 0 && <p>Not published yet.</p>}
      {versions.status === 'ready' && versions.data.items.length > 0 && (
        <table className="table compact" data-testid="versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">Note</th>
              <th scope="col">
                <span className="visually-hidden">Compare</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.data.items.map((v) => (
              <tr key={v.version}>
                <td title={`checksum ${v.checksum}`}>{v.version}</td>
                <td>
                  {new Date(v.publishedAt).toLocaleString()}
                  {v.publishedBy ? ` by ${v.publishedBy}` : ''}
                </td>
                <td className="version-note">{v.note ?? '—'}</td>
                <td>
                  <button type="button" disabled={opening !== undefined} onClick={() => void compare(v.version)}>
                    {opening === v.version ? 'Opening…' : `Compare draft with version ${v.version}`}
                  </button>
                  {current !== undefined && v.version < current && (
                    <button type="button" onClick={() => setMigrateFrom(v.version)}>
                      Move its running accounts to version {current}…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
