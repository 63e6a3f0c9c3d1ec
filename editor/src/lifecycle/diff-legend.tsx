import type { PublishedVersion } from '../api/playbooks.js';
import { countChanges, describeSettings, noChanges, type ChangeKind, type DraftDiff } from './diff.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * What the marks on the canvas mean while the draft is compared with a published version, how many of each there
 * are, what changed off the canvas (the settings), and the way back to plain editing.
 */
export function DiffLegend({
  version,
  diff,
  onBack,
}: {
  version: PublishedVersion;
  diff: DraftDiff;
  onBack: () => void;
}) {
  const counts = countChanges(diff);
  const row = (kind: ChangeKind, words: string) => (
    <li key={kind}>
      <span className={`swatch change-${kind}`} aria-hidden="true" />
      {words}: {plural(counts.steps[kind], 'step')}, {plural(counts.connections[kind], 'connection')}
    </li>
  );
  return (
    <section
      className="diff-legend"
      aria-label={`Draft compared with version ${version.version}`}
      data-testid="diff-legend"
    >
      <p>
        <strong>Draft compared with version {version.version}</strong>, published{' '}
        {new Date(version.publishedAt).toLocaleString()}
        {version.publishedBy ? ` by ${version.publishedBy}` : ''}
      </p>
      {version.note && <p className="diff-note">“{version.note}”</p>}
      {noChanges(diff) ? (
        <p>The draft runs exactly as version {version.version} does (moved cards aside).</p>
      ) : (
        <ul className="legend">
          {row('added', 'Added')}
          {row('changed', 'Changed')}
          {row('removed', 'Removed (ghosted)')}
        </ul>
      )}
      {diff.settings.length > 0 && <p>Settings changed: {describeSettings(diff.settings)}.</p>}
      <button type="button" onClick={onBack}>
        Back to editing
      </button>
    </section>
  );
}
