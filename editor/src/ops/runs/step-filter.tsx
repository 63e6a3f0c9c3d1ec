import type { AsyncState } from '../../ui/use-async.js';
import type { PlaybookSteps } from './playbook-steps.js';

/**
 * A step filter of the runs page. With a playbook chosen: a list of its steps by label (the value sent is the
 * step's id); while they load, the list waits, disabled. With none chosen, or when the steps could not be read:
 * the step's id typed by hand, said to be an id, with how to pick by name instead (`hintId`).
 */
export function StepFilter({
  label,
  value,
  steps,
  recordedOnly,
  draft,
  onDraft,
  onPick,
  hintId,
}: {
  /** "Stands at step", "Did step". */
  label: string;
  /** The applied filter (from the address). */
  value: string | undefined;
  /** The chosen playbook's steps; undefined when no playbook is chosen. */
  steps: AsyncState<PlaybookSteps> | undefined;
  /** Offer only the steps that leave a record (what "did" can be asked of). */
  recordedOnly?: boolean;
  /** The typed id, applied with the form. */
  draft: string | undefined;
  onDraft: (value: string | undefined) => void;
  /** A step picked from the list, applied at once like the other lists of the form. */
  onPick: (value: string | undefined) => void;
  hintId: string;
}) {
  if (!steps || steps.status === 'error') {
    return (
      <label className="field">
        <span>{label} id</span>
        <input
          type="search"
          value={draft ?? ''}
          aria-describedby={hintId}
          onChange={(e) => onDraft(e.target.value || undefined)}
        />
      </label>
    );
  }
  const ready = steps.status === 'ready' ? steps.data : undefined;
  const choices = ready ? ready.steps.filter((s) => !recordedOnly || s.recorded) : [];
  // A step id from a link (or of a version whose steps are not listed) is shown as it is, not silently dropped.
  const unlisted = value !== undefined && ready !== undefined && !choices.some((s) => s.id === value);
  const known = unlisted ? ready?.steps.find((s) => s.id === value) : undefined;
  return (
    <label className="field">
      <span>{label}</span>
      <select
        value={value ?? ''}
        disabled={!ready}
        aria-busy={!ready}
        onChange={(e) => onPick(e.target.value || undefined)}
      >
        <option value="">{ready ? 'Any' : 'Loading steps…'}</option>
        {!ready && value !== undefined && <option value={value}>{value}</option>}
        {choices.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
        {unlisted && (
          <option value={value}>
            {known
              ? `${known.label} (leaves no record to find runs by)`
              : `${value} (not a step of ${ready.version === null ? 'this playbook' : `version ${ready.version}`})`}
          </option>
        )}
      </select>
    </label>
  );
}
