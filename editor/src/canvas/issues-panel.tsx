import type { Issue } from '../../../engine/errors.js';

/**
 * Every problem the compiler found, in its words. A problem of a step focuses that step; one of the playbook's
 * settings (a trigger, an exit) opens the settings.
 */
export function IssuesPanel({
  issues,
  stale,
  onFocusStep,
  onOpenSettings,
  stepLabel,
}: {
  issues: readonly Issue[];
  stale: boolean;
  onFocusStep: (nodeId: string) => void;
  onOpenSettings: () => void;
  stepLabel: (nodeId: string) => string | undefined;
}) {
  if (issues.length === 0) {
    return (
      <section className="panel-section" aria-labelledby="issues-title">
        <h2 id="issues-title">Problems</h2>
        <p className="ok" role="status">
          {stale ? 'Checking…' : 'No problems: this playbook can be published.'}
        </p>
      </section>
    );
  }
  return (
    <section className="panel-section" aria-labelledby="issues-title">
      <h2 id="issues-title">
        {issues.length} problem{issues.length === 1 ? '' : 's'}
      </h2>
      <ul className="issues" data-testid="issue-list">
        {issues.map((issue, i) => {
          const step = issue.nodeId === undefined ? undefined : stepLabel(issue.nodeId);
          return (
            <li key={i}>
              <button
                type="button"
                className="issue"
                onClick={() =>
                  issue.nodeId !== undefined && step !== undefined ? onFocusStep(issue.nodeId) : onOpenSettings()
                }
              >
                <span className="issue-where">
                  {step ?? (issue.path.startsWith('nodes') || issue.path.startsWith('edges') ? 'Drawing' : 'Settings')}
                </span>
                {issue.message}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
