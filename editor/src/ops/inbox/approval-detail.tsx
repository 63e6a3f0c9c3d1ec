import { useState } from 'react';
import { Link } from 'react-router';
import type { Approval } from '../../../../engine/approvals/record.js';
import { approvalValueProblems, type ApprovalValues } from '../../../../engine/approvals/values.js';
import { ErrorMessage } from '../../ui/states.js';
import { opsApi } from '../api.js';
import { fromNow, onDay, when } from '../ui/format.js';
import { RiskBadge } from '../ui/risk-badge.js';
import { EmailFrame } from '../outbox/outbox-tabs.js';
import { ParameterFields } from './parameter-fields.js';
import { useLivePreview } from './use-live-preview.js';

const STATUS_WORDS: Record<Approval['status'], string> = {
  pending: 'waiting for a decision',
  approved: 'approved',
  rejected: 'rejected',
  timed_out: 'timed out',
  withdrawn: 'withdrawn (the run ended)',
};

/** One approval: what it proposes as it will go out, the account's context, the values to edit, the decision. */
export function ApprovalDetail({ approval, onDecided }: { approval: Approval; onDecided: (a: Approval) => void }) {
  const [values, setValues] = useState<ApprovalValues>(approval.values);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const pending = approval.status === 'pending';
  const problems = approvalValueProblems(approval.parameters, values);
  const preview = useLivePreview(approval, values, problems.length === 0);
  const decide = async (decision: 'approved' | 'rejected') => {
    setBusy(true);
    setFailure(undefined);
    try {
      onDecided(
        await opsApi.decide(approval.id, {
          decision,
          ...(decision === 'approved' && approval.parameters.length > 0 && { values }),
          ...(reason.trim() && { reason: reason.trim() }),
        }),
      );
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const { context } = approval;
  return (
    <article aria-labelledby="approval-title" data-testid="approval-detail">
      <h2 id="approval-title">{approval.title}</h2>
      <p>
        <span className={`state-tag ${approval.overdue ? 'overdue' : approval.status}`}>
          {approval.overdue ? 'overdue' : STATUS_WORDS[approval.status]}
        </span>{' '}
        {approval.kind} ·{' '}
        {approval.account.id ? (
          <Link to={`/accounts/${approval.account.id}`}>{approval.account.name ?? 'the account'}</Link>
        ) : (
          (approval.account.name ?? 'an account')
        )}
        {approval.playbook && ` · ${approval.playbook.name} v${approval.playbook.version}`}
      </p>
      <p className="muted">
        {pending
          ? `Held by ${approval.assignee.email ?? `nobody (${approval.assignee.note ?? 'no owner'})`}${
              approval.level > 0 ? ` (escalated ${when(approval.escalatedAt)})` : ''
            }; ${approval.level > 0 || approval.overdue ? 'times out' : 'escalates'} ${when(approval.dueAt)} (${fromNow(approval.dueAt)}).`
          : approval.decision &&
            `Decided by ${approval.decision.by ?? 'nobody (timeout)'} ${when(approval.decision.at)}${
              approval.decision.reason ? `: “${approval.decision.reason}”` : ''
            }.`}
      </p>
      {approval.details && <p>{approval.details}</p>}

      <div className="ops-grid">
        <section aria-labelledby="context-title">
          <h3 id="context-title">The account</h3>
          {context.account ? (
            <dl className="facts">
              <dt>Segment · plan</dt>
              <dd>
                {context.account.segment ?? '—'} · {context.account.plan ?? '—'}
              </dd>
              <dt>MRR</dt>
              <dd>{context.account.mrr?.toLocaleString() ?? '—'}</dd>
              <dt>Renewal</dt>
              <dd>{onDay(context.account.renewalDate)}</dd>
            </dl>
          ) : (
            <p className="muted">Not a stored account.</p>
          )}
          {context.health ? (
            <>
              <p>
                Health {context.health.healthScore}/100{' '}
                <RiskBadge level={context.health.riskLevel as Parameters<typeof RiskBadge>[0]['level']} />
              </p>
              <ul className="why-list">
                {context.health.why.map((why, i) => (
                  <li key={i}>{why}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">Not scored yet.</p>
          )}
          {context.recentEvents.length > 0 && (
            <>
              <h3>Recent events</h3>
              <ul className="why-list">
                {context.recentEvents.map((event, i) => (
                  <li key={i}>
                    <code>{event.name}</code> <span className="muted">{when(event.occurredAt)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section aria-labelledby="decide-title">
          <h3 id="decide-title">{pending ? 'Decide' : 'The decision'}</h3>
          {approval.parameters.length > 0 && (
            <ParameterFields
              parameters={approval.parameters}
              values={values}
              problems={problems}
              disabled={!pending || busy}
              onChange={setValues}
            />
          )}
          {!pending && approval.edits && Object.keys(approval.edits).length > 0 && (
            <ul className="why-list">
              {Object.entries(approval.edits).map(([name, edit]) => (
                <li key={name}>
                  {name}: {String(edit.from)} → {String(edit.to)}
                </li>
              ))}
            </ul>
          )}
          {pending && (
            <>
              <label className="field">
                <span>Reason (told to the playbook’s log; needed to reject)</span>
                <textarea
                  rows={2}
                  cols={50}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  maxLength={2000}
                />
              </label>
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  disabled={busy || problems.length > 0}
                  onClick={() => void decide('approved')}
                >
                  Approve{approval.parameters.length > 0 ? ' with these values' : ''}
                </button>
                <button
                  type="button"
                  className="danger"
                  disabled={busy || reason.trim() === ''}
                  onClick={() => void decide('rejected')}
                >
                  Reject
                </button>
              </div>
            </>
          )}
          {failure !== undefined && <ErrorMessage error={failure} />}
        </section>
      </div>

      <section aria-labelledby="proposal-title">
        <h3 id="proposal-title">What approving sends</h3>
        {!approval.proposal && <p className="muted">No email follows this approval directly.</p>}
        {preview?.kind === 'unavailable' && <p className="muted">The email cannot be shown: {preview.why}</p>}
        {preview?.kind === 'failed' && <ErrorMessage error={preview.error} />}
        {preview?.kind === 'rendered' && (
          <div data-testid="proposal-preview">
            <p>
              <strong>Subject:</strong> <span data-testid="proposal-subject">{preview.email.subject}</span>
              {preview.edited && <span className="muted"> (with your edits)</span>}
            </p>
            <EmailFrame html={preview.email.html} title="The proposed email" />
            <details>
              <summary>Plain-text part</summary>
              <pre className="text-part" data-testid="proposal-text" tabIndex={0} aria-label="Plain-text part">
                {preview.email.text}
              </pre>
            </details>
          </div>
        )}
      </section>
    </article>
  );
}
