import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { when } from '../ui/format.js';
import { EmailFrame } from './outbox-tabs.js';
import '../ops.css';

/** One playbook email as it went (or will go) out: HTML in a sandboxed frame, the text part, headers, its state. */
export function DeliveryPage() {
  const { deliveryId = '' } = useParams();
  const email = useAsync((signal) => opsApi.delivery(deliveryId, signal), [deliveryId]);
  const [failure, setFailure] = useState<unknown>();
  const [resent, setResent] = useState(false);
  const resend = async () => {
    setFailure(undefined);
    try {
      await opsApi.resend(deliveryId);
      setResent(true);
      email.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <div className="page wide">
      <p>
        <Link to="/outbox">← Outbox</Link>
      </p>
      <AsyncView state={email} what="the email">
        {(m) => (
          <>
            <h1>{m.subject ?? `${m.templateKey} (not rendered yet)`}</h1>
            <dl className="facts">
              <dt>State</dt>
              <dd>
                <span className={`state-tag ${m.state}`}>{m.state}</span>
                {m.lastError && <span> — {m.lastError}</span>}
              </dd>
              <dt>To</dt>
              <dd>{m.recipientName ? `${m.recipientName} <${m.recipient}>` : m.recipient}</dd>
              <dt>Account</dt>
              <dd>
                <Link to={`/accounts/${m.accountId}`}>{m.accountId}</Link>
              </dd>
              <dt>Run · step</dt>
              <dd>
                <Link to={`/runs/${encodeURIComponent(m.workflowId)}`}>{m.workflowId}</Link> · {m.nodeId}
              </dd>
              <dt>Template · language</dt>
              <dd>
                {m.templateKey} · {m.locale ?? '—'}
              </dd>
              <dt>Attempts</dt>
              <dd>{m.attempts}</dd>
              <dt>Sent</dt>
              <dd>{when(m.sentAt)}</dd>
              <dt>SMTP answer</dt>
              <dd>{m.smtpResponse ?? '—'}</dd>
              <dt>Message-ID</dt>
              <dd>
                <code>{m.messageId}</code>
              </dd>
            </dl>
            {m.state === 'uncertain' && (
              <div className="actions">
                <p>
                  A worker stopped while sending this email: it may or may not have arrived. Resend it only if the
                  recipient did not get it (the copy has the same Message-ID).
                </p>
                <button type="button" className="primary" onClick={() => void resend()}>
                  Resend
                </button>
              </div>
            )}
            {resent && (
              <p role="status" className="notice-ok">
                Sent again.
              </p>
            )}
            {failure !== undefined && <ErrorMessage error={failure} />}
            <div className="ops-grid">
              <section aria-labelledby="html-title">
                <h2 id="html-title">As the recipient sees it</h2>
                {m.html ? (
                  <EmailFrame html={m.html} title="The email's HTML" />
                ) : (
                  <p className="muted">Not rendered yet.</p>
                )}
              </section>
              <section aria-labelledby="text-title">
                <h2 id="text-title">Plain-text part</h2>
                {m.text ? (
                  <pre className="text-part" data-testid="text-part" tabIndex={0} aria-label="Plain-text part">
                    {m.text}
                  </pre>
                ) : (
                  <p className="muted">None.</p>
                )}
                <h2>Headers</h2>
                <table className="table compact">
                  <tbody>
                    {Object.entries(m.headers).map(([name, value]) => (
                      <tr key={name}>
                        <th scope="row">{name}</th>
                        <td>
                          <code>{value}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </div>
          </>
        )}
      </AsyncView>
    </div>
  );
}
