import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { toIssues } from '../../../../engine/errors.js';
import type { ScorecardPreview } from '../../../../engine/health/preview.js';
import {
  Comparator,
  HealthRiskLevel,
  Scorecard,
  SignalClass,
  type ScorecardInput,
} from '../../../../engine/health/scorecard.js';
import { useSession } from '../../app/session.js';
import { ErrorMessage } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { counted, when } from '../ui/format.js';
import { SettingsTabs } from './settings-tabs.js';
import '../ops.css';

type Card = Scorecard;
const CLASSES = SignalClass.options;
const LEVELS = ['high', 'medium', 'low'] as const;

/** Reads a number input: an emptied box stays NaN, which the engine's schema then names as the problem. */
const numberOf = (text: string) => (text === '' ? Number.NaN : Number(text));

/**
 * The health scorecard: each signal's weight class, comparison and threshold, the points per class and the level
 * thresholds. Checked by the engine's own schema as you type; before saving, every account is scored under the
 * draft and under the saved scorecard to show how many would move between risk levels.
 */
export function ScorecardPage() {
  const saved = useAsync((signal) => opsApi.scorecard(signal), []);
  return (
    <div className="page wide">
      <h1>Settings</h1>
      <SettingsTabs />
      <AsyncView state={saved} what="the scorecard">
        {(data) => (
          <ScorecardEditor
            key={data.version}
            version={data.version}
            createdAt={data.createdAt}
            saved={data.definition}
            onSaved={saved.reload}
          />
        )}
      </AsyncView>
    </div>
  );
}

function ScorecardEditor({
  version,
  createdAt,
  saved,
  onSaved,
}: {
  version: number;
  createdAt: string;
  saved: Card;
  onSaved: () => void;
}) {
  const session = useSession();
  const canEdit = session?.user.role === 'admin' || session?.user.role === 'ops';
  const [draft, setDraft] = useState<Card>(saved);
  const [preview, setPreview] = useState<ScorecardPreview>();
  const [busy, setBusy] = useState<'preview' | 'save'>();
  const [failure, setFailure] = useState<unknown>();
  const [savedVersion, setSavedVersion] = useState<number>();
  const checked = Scorecard.safeParse(draft);
  const issues = checked.success ? [] : toIssues(checked.error);
  const changed = JSON.stringify(draft) !== JSON.stringify(saved);
  useEffect(() => setPreview(undefined), [draft]);
  const run = async (what: 'preview' | 'save') => {
    setBusy(what);
    setFailure(undefined);
    try {
      if (what === 'preview') setPreview(await opsApi.previewScorecard(draft as ScorecardInput));
      else {
        setSavedVersion((await opsApi.saveScorecard(draft as ScorecardInput)).version);
        onSaved();
      }
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(undefined);
    }
  };
  const setSignal = (index: number, patch: Partial<Card['signals'][number]>) =>
    setDraft({ ...draft, signals: draft.signals.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  return (
    <>
      <p className="muted">
        Version {version}, saved {when(createdAt)}. Saving makes version {version + 1}; recorded scores keep theirs, and
        every account is scored again under the new one.
      </p>
      <fieldset className="group" disabled={!canEdit}>
        <legend>Points per signal class, cap and level thresholds</legend>
        <div className="filters">
          {CLASSES.map((cls) => (
            <label className="field" key={`p-${cls}`}>
              <span>{cls} signal points</span>
              <input
                type="number"
                min={0}
                max={100}
                style={{ width: '6rem' }}
                value={Number.isNaN(draft.points[cls]) ? '' : draft.points[cls]}
                onChange={(e) => setDraft({ ...draft, points: { ...draft.points, [cls]: numberOf(e.target.value) } })}
              />
            </label>
          ))}
          <label className="field">
            <span>Cap (most risk points)</span>
            <input
              type="number"
              min={1}
              max={100}
              style={{ width: '6rem' }}
              value={Number.isNaN(draft.cap) ? '' : draft.cap}
              onChange={(e) => setDraft({ ...draft, cap: numberOf(e.target.value) })}
            />
          </label>
          {LEVELS.map((level) => (
            <label className="field" key={`l-${level}`}>
              <span>{level} risk from</span>
              <input
                type="number"
                min={1}
                max={100}
                style={{ width: '6rem' }}
                value={Number.isNaN(draft.levels[level]) ? '' : draft.levels[level]}
                onChange={(e) => setDraft({ ...draft, levels: { ...draft.levels, [level]: numberOf(e.target.value) } })}
              />
            </label>
          ))}
        </div>
      </fieldset>
      <table className="table compact" data-testid="scorecard-signals">
        <caption className="visually-hidden">Risk signals</caption>
        <thead>
          <tr>
            <th scope="col">Signal</th>
            <th scope="col">Class</th>
            <th scope="col">Risk when the value is</th>
            <th scope="col">Without data</th>
          </tr>
        </thead>
        <tbody>
          {draft.signals.map((signal, i) => (
            <tr key={signal.id}>
              <th scope="row">
                {signal.label}
                <div className="muted">
                  {signal.metric.aggregate} of {[signal.metric.event].flat().join(', ')}
                  {signal.metric.field ? `.${signal.metric.field}` : ''}
                  {signal.metric.windowDays ? ` over ${signal.metric.windowDays} days` : ''}
                </div>
              </th>
              <td>
                <select
                  aria-label={`Class of “${signal.label}”`}
                  value={signal.class}
                  disabled={!canEdit}
                  onChange={(e) => setSignal(i, { class: SignalClass.parse(e.target.value) })}
                >
                  {CLASSES.map((cls) => (
                    <option key={cls}>{cls}</option>
                  ))}
                </select>
              </td>
              <td className="nowrap">
                <select
                  aria-label={`Comparison of “${signal.label}”`}
                  value={signal.comparator}
                  disabled={!canEdit}
                  onChange={(e) => setSignal(i, { comparator: Comparator.parse(e.target.value) })}
                >
                  {Comparator.options.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>{' '}
                <input
                  type="number"
                  aria-label={`Threshold of “${signal.label}”`}
                  style={{ width: '6rem' }}
                  disabled={!canEdit}
                  value={Number.isNaN(signal.threshold) ? '' : signal.threshold}
                  onChange={(e) => setSignal(i, { threshold: numberOf(e.target.value) })}
                />
              </td>
              <td>
                <select
                  aria-label={`Without data, “${signal.label}”`}
                  value={signal.whenNoData}
                  disabled={!canEdit}
                  onChange={(e) => setSignal(i, { whenNoData: e.target.value === 'fires' ? 'fires' : 'quiet' })}
                >
                  <option value="quiet">stays quiet</option>
                  <option value="fires">fires</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {issues.length > 0 && (
        <div className="state-error" role="alert">
          <p>Fix these before previewing or saving:</p>
          <ul>
            {issues.map((issue, i) => (
              <li key={i}>
                <code>{issue.path}</code> {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {canEdit && (
        <div className="actions">
          <button type="button" disabled={issues.length > 0 || busy !== undefined} onClick={() => void run('preview')}>
            {busy === 'preview' ? 'Scoring every account…' : 'Preview: score every account under this draft'}
          </button>
          <button
            type="button"
            className="primary"
            disabled={issues.length > 0 || !changed || busy !== undefined}
            onClick={() => void run('save')}
          >
            Save as version {version + 1}
          </button>
          {changed && (
            <button type="button" className="link" onClick={() => setDraft(saved)}>
              Undo my changes
            </button>
          )}
        </div>
      )}
      {savedVersion !== undefined && (
        <p role="status" className="notice-ok">
          Saved version {savedVersion}; accounts are being scored again.
        </p>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
      {preview && <PreviewChart preview={preview} />}
    </>
  );
}

function PreviewChart({ preview }: { preview: ScorecardPreview }) {
  const data = HealthRiskLevel.options.map((level) => ({
    level: level === 'none' ? 'no risk' : level,
    saved: preview.current[level],
    draft: preview.draft[level],
  }));
  return (
    <section className="card" aria-labelledby="preview-title" data-testid="scorecard-preview">
      <h2 id="preview-title">
        {counted(preview.accounts, 'account')} by risk level, scored {when(preview.asOf)}
      </h2>
      <div
        className="chart-box"
        role="img"
        aria-label="Accounts by risk level under the saved scorecard and the draft; the numbers are in the table below."
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} accessibilityLayer={false}>
            <CartesianGrid stroke="#e3e7ee" />
            <XAxis dataKey="level" stroke="#4b5568" />
            <YAxis allowDecimals={false} stroke="#4b5568" />
            <Tooltip />
            <Legend />
            <Bar dataKey="saved" name={`Saved (v${preview.currentVersion})`} fill="#7a869b" isAnimationActive={false} />
            <Bar dataKey="draft" name="Draft" fill="#2855b8" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Risk level</th>
            <th scope="col" className="num">
              Saved
            </th>
            <th scope="col" className="num">
              Draft
            </th>
          </tr>
        </thead>
        <tbody>
          {data.map((row) => (
            <tr key={row.level}>
              <th scope="row">{row.level}</th>
              <td className="num">{row.saved}</td>
              <td className="num">{row.draft}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.moves.length === 0 ? (
        <p>No account would change level.</p>
      ) : (
        <ul className="why-list">
          {preview.moves.map((move) => (
            <li key={`${move.from}-${move.to}`}>
              {move.accounts} account{move.accounts === 1 ? '' : 's'} would move from {move.from} to {move.to}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
