import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { RunListStatus } from '../../../../engine/dashboard/schema.js';
import type { RunDetail, RunListItem } from '../../../../engine/runs/summary.js';
import { playbooksApi } from '../../api/playbooks.js';
import { OPEN_STATUSES, runsApi, type BulkResult } from '../../api/runs.js';
import { Empty, ErrorMessage } from '../../ui/states.js';
import { useAsync, type AsyncState } from '../../ui/use-async.js';
import { humanize } from '../../ui/words.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { fromNow, when } from '../ui/format.js';
import { useFilters } from '../ui/use-filters.js';
import { LoadMore } from '../ui/load-more.js';
import { useDefaultOwner } from '../ui/own-portfolio.js';
import { usePagedList } from '../ui/use-paged-list.js';
import { stepWords, waitingWords } from '../../runs/run-words.js';
import { loadPlaybookSteps, type PlaybookSteps } from './playbook-steps.js';
import { StepFilter } from './step-filter.js';
import '../ops.css';

const FILTERS = ['playbook', 'version', 'node', 'reached', 'status', 'accountName', 'owner', 'account'] as const;
type TextFilter = { name: (typeof FILTERS)[number]; label: string; type?: string };
const WHO: TextFilter[] = [
  { name: 'accountName', label: 'Account name' },
  { name: 'owner', label: 'Owner CSM (email)', type: 'email' },
];
const VERSION: TextFilter = { name: 'version', label: 'Version', type: 'number' };
const STEP_ID_HINT = 'runs-step-id-hint';
const OPEN = new Set<string>(OPEN_STATUSES);
const LIMIT = 100;
/** What each run waits for is asked of the run itself: for this many open runs of the page. */
const DETAILED = 50;

type ListedRun = RunListItem & { waiting?: NonNullable<RunDetail['position']>['waiting']; stepLabel: string };
const labelOf = (run: ListedRun) => run.accountName ?? run.account ?? run.workflowId;

/** Every playbook run, found by playbook, version, step, status, account name and owner; bulk cancel or skip. */
export function RunsPage() {
  const [filters, setFilters] = useFilters(FILTERS);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const playbooks = useAsync((signal) => playbooksApi.list(signal), []);
  const version = Number(filters.version) || undefined;
  // The chosen playbook's steps, to pick by label; an answer for the previous choice counts as still loading.
  const asked = filters.playbook ? `${filters.playbook}@${version ?? 'all'}` : undefined;
  const stepsLoad = useAsync(
    async (signal) =>
      filters.playbook
        ? { asked, steps: await loadPlaybookSteps(filters.playbook, version, signal) }
        : { asked, steps: undefined },
    [asked],
  );
  const steps: AsyncState<PlaybookSteps> | undefined = !filters.playbook
    ? undefined
    : stepsLoad.status === 'error'
      ? stepsLoad
      : stepsLoad.status === 'ready' && stepsLoad.data.asked === asked && stepsLoad.data.steps
        ? { status: 'ready', data: stepsLoad.data.steps }
        : { status: 'loading' };
  const defaultOwner = useDefaultOwner();
  const owner = filters.owner ?? (filters.account ? undefined : defaultOwner);
  // Each page asks its open runs what they wait for (the list knows only the step), then appends.
  const runs = usePagedList(
    async (cursor, signal) => {
      const page = await opsApi.runs({ ...filters, owner, limit: String(LIMIT), cursor }, signal);
      const open = page.items.filter((r) => OPEN.has(r.status)).slice(0, DETAILED);
      const details = new Map<string, RunDetail>();
      await Promise.all(
        open.map(async (r) => {
          const detail = await opsApi.run(r.workflowId, signal).catch(() => undefined);
          if (detail) details.set(r.workflowId, detail);
        }),
      );
      return {
        items: page.items.map((run): ListedRun => {
          // The run's own answer is newer than the listed step (which can trail it by a step).
          const detail = details.get(run.workflowId);
          return {
            ...run,
            waiting: detail?.position?.waiting,
            stepLabel: detail
              ? stepWords(detail.nodeLabel, detail.position?.nodeId ?? run.node)
              : stepWords(run.nodeLabel, run.node),
          };
        }),
        nextCursor: page.nextCursor,
      };
    },
    [filters, owner],
  );
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [results, setResults] = useState<BulkResult[]>();
  const [failure, setFailure] = useState<unknown>();
  useEffect(() => setChosen(new Set()), [filters]);
  const act = async (action: 'cancel' | 'skipWait') => {
    setFailure(undefined);
    try {
      setResults((await runsApi.bulk(action, [...chosen])).results);
      setChosen(new Set());
      runs.state.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const text = (f: TextFilter) => (
    <label className="field" key={f.name}>
      <span>{f.label}</span>
      <input
        type={f.type ?? 'search'}
        value={draft[f.name] ?? ''}
        min={f.type === 'number' ? 1 : undefined}
        style={f.type === 'number' ? { width: '5rem' } : undefined}
        onChange={(e) => setDraft({ ...draft, [f.name]: e.target.value || undefined })}
      />
    </label>
  );
  const toggle = (workflowId: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(workflowId)) next.delete(workflowId);
      else next.add(workflowId);
      return next;
    });
  return (
    <div className="page wide">
      <h1>Runs</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter runs">
        <label className="field">
          <span>Playbook</span>
          <select
            value={filters.playbook ?? ''}
            // From one playbook to another, its step ids and version go with it; from none (ids typed for any
            // playbook) or to none, they stay.
            onChange={(e) =>
              setFilters(
                filters.playbook && e.target.value
                  ? { playbook: e.target.value, node: undefined, reached: undefined, version: undefined }
                  : { playbook: e.target.value },
              )
            }
          >
            <option value="">Any</option>
            {playbooks.status === 'ready' &&
              playbooks.data.items.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={filters.status ?? ''} onChange={(e) => setFilters({ status: e.target.value })}>
            <option value="">Any</option>
            {RunListStatus.options.map((s) => (
              <option key={s} value={s}>
                {s === 'running' ? 'open (any)' : humanize(s)}
              </option>
            ))}
          </select>
        </label>
        {WHO.map(text)}
        {(['node', 'reached'] as const).map((name) => (
          <StepFilter
            key={name}
            label={name === 'node' ? 'Stands at step' : 'Did step'}
            recordedOnly={name === 'reached'}
            value={filters[name]}
            steps={steps}
            draft={draft[name]}
            onDraft={(value) => setDraft({ ...draft, [name]: value })}
            onPick={(value) => setFilters({ [name]: value })}
            hintId={STEP_ID_HINT}
          />
        ))}
        {text(VERSION)}
        <button type="submit">Apply</button>
        {(!steps || steps.status === 'error') && (
          <p className="muted" id={STEP_ID_HINT} style={{ flexBasis: '100%', margin: 0 }}>
            {steps
              ? 'The playbook’s steps could not be read: type a step’s id.'
              : 'Choose a playbook to pick steps by name.'}
          </p>
        )}
      </form>
      {steps?.status === 'error' && <ErrorMessage error={steps.error} onRetry={stepsLoad.reload} />}
      <AsyncView
        state={runs.state}
        what="runs"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title="No run matches these filters" />}
      >
        {({ items }) => {
          const selectable = items.filter((r) => OPEN.has(r.status));
          const columns: Column<ListedRun>[] = [
            {
              header: (
                <input
                  type="checkbox"
                  aria-label="Select every open run listed"
                  disabled={selectable.length === 0}
                  checked={selectable.length > 0 && chosen.size === selectable.length}
                  onChange={(e) => setChosen(new Set(e.target.checked ? selectable.map((r) => r.workflowId) : []))}
                />
              ),
              cell: (run) =>
                OPEN.has(run.status) && (
                  <input
                    type="checkbox"
                    aria-label={`Select the run of ${labelOf(run)} in ${run.playbookName ?? run.playbook ?? 'its playbook'}`}
                    checked={chosen.has(run.workflowId)}
                    onChange={() => toggle(run.workflowId)}
                  />
                ),
            },
            {
              header: 'Account',
              cell: (run) => (
                <>
                  <Link to={`/runs/${encodeURIComponent(run.workflowId)}`}>{labelOf(run)}</Link>
                  {run.ownerCsmEmail && <div className="muted">{run.ownerCsmEmail}</div>}
                </>
              ),
            },
            {
              header: 'Playbook',
              cell: (run) => (
                <>
                  {run.playbookName ?? run.playbook ?? '—'}
                  {run.version !== null && <span className="muted"> v{run.version}</span>}
                </>
              ),
            },
            { header: 'Status', cell: (run) => humanize(run.status) },
            {
              header: 'Stands at',
              cell: (run) => (
                <>
                  {run.stepLabel}
                  {run.waiting && <div className="muted">waits for {waitingWords(run.waiting)}</div>}
                </>
              ),
            },
            {
              header: 'Until',
              className: 'nowrap',
              cell: (run) => (run.waiting ? `${when(run.waiting.until)} (${fromNow(run.waiting.until)})` : '—'),
            },
            { header: 'Started', className: 'nowrap', cell: (run) => when(run.startedAt) },
          ];
          return (
            <>
              <div className="actions">
                <button type="button" disabled={chosen.size === 0} onClick={() => void act('skipWait')}>
                  Skip the wait ({chosen.size})
                </button>
                <button
                  type="button"
                  className="danger"
                  disabled={chosen.size === 0}
                  onClick={() => void act('cancel')}
                >
                  Cancel runs ({chosen.size})
                </button>
              </div>
              <DataTable
                rows={items}
                columns={columns}
                rowKey={(run) => `${run.workflowId}/${run.runId}`}
                testId="run-list"
              />
              <LoadMore list={runs} what="runs" />
            </>
          );
        }}
      </AsyncView>
      {failure !== undefined && <ErrorMessage error={failure} />}
      {results && (
        <ul className="results" role="status" aria-label="What the bulk action did">
          {results.map((r) => (
            <li key={r.workflowId}>
              {r.workflowId}: {r.ok ? 'done' : r.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
