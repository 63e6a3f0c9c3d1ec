import { useState } from 'react';
import { ContactGovernance, EmailPriority, type PlaybookGovernance } from '../../../../engine/governance/schema.js';
import { ErrorMessage } from '../../ui/states.js';
import { FormIssues } from './form-issues.js';
import { useCheckedSave } from './use-checked-save.js';
import { sendingApi, type Stored } from './sending-api.js';

// Contact governance: the cap per contact across playbooks, each playbook's priority, exemption and promotional
// flag, and the quiet period while a rescue is open. The sender and the preview apply exactly this.

const NORMAL: PlaybookGovernance = { priority: 'normal', exempt: false, promotional: false };

export function GovernanceForm({
  stored,
  playbooks,
}: {
  stored: Stored<ContactGovernance>;
  playbooks: { key: string; name: string }[];
}) {
  const [draft, setDraft] = useState<ContactGovernance>(stored.value);
  const { save, issues, failure, saving, saved } = useCheckedSave(
    ContactGovernance,
    sendingApi.saveGovernance,
    // The answer is what is stored now; the form stays (no reload), so its notice stays too.
    (answer) => setDraft(answer.value),
  );
  const cap = draft.frequencyCap;
  // Playbooks the install has, plus any the settings name that are not (yet) there.
  const keys = [...new Set([...playbooks.map((p) => p.key), ...Object.keys(draft.playbooks)])].sort();
  const nameOf = (key: string) => playbooks.find((p) => p.key === key)?.name ?? key;
  const setRule = (key: string, patch: Partial<PlaybookGovernance>) =>
    setDraft({ ...draft, playbooks: { ...draft.playbooks, [key]: { ...(draft.playbooks[key] ?? NORMAL), ...patch } } });
  const rescue = draft.quietWhileRescue;

  return (
    <form
      aria-label="Contact governance"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(draft);
      }}
    >
      <h2>Frequency cap</h2>
      <p className="muted">
        At most this many playbook emails per contact in any rolling period, across every playbook. The preview marks an
        email over the cap “would be skipped: frequency cap reached”.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={cap !== null}
          onChange={(e) =>
            setDraft({
              ...draft,
              frequencyCap: e.target.checked ? { max: 3, period: { amount: 7, unit: 'days' } } : null,
            })
          }
        />{' '}
        Cap emails per contact
      </label>
      {cap && (
        <div className="row">
          <label className="field" htmlFor="cap-max">
            <span>Emails</span>
            <input
              id="cap-max"
              type="number"
              min={1}
              value={Number.isNaN(cap.max) ? '' : cap.max}
              onChange={(e) => setDraft({ ...draft, frequencyCap: { ...cap, max: e.target.valueAsNumber } })}
            />
          </label>
          <label className="field" htmlFor="cap-amount">
            <span>per</span>
            <input
              id="cap-amount"
              type="number"
              min={1}
              value={Number.isNaN(cap.period.amount) ? '' : cap.period.amount}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  frequencyCap: { ...cap, period: { ...cap.period, amount: e.target.valueAsNumber } },
                })
              }
            />
          </label>
          <label className="field" htmlFor="cap-unit">
            <span>Unit</span>
            <select
              id="cap-unit"
              value={cap.period.unit}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  frequencyCap: { ...cap, period: { ...cap.period, unit: e.target.value as 'days' | 'hours' } },
                })
              }
            >
              <option value="days">days</option>
              <option value="hours">hours</option>
            </select>
          </label>
        </div>
      )}

      <h2>Playbooks</h2>
      <p className="muted">
        Exempt: a sequence the contact expects (onboarding, receipts) — never capped, never counted. An email counts
        only the emails of its own priority or higher. Promotional: held back while a rescue is open.
      </p>
      <table className="table">
        <caption className="visually-hidden">Governance by playbook</caption>
        <thead>
          <tr>
            <th scope="col">Playbook</th>
            <th scope="col">Priority</th>
            <th scope="col">Exempt from the cap</th>
            <th scope="col">Promotional</th>
            <th scope="col">Is a rescue</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const rule = draft.playbooks[key] ?? NORMAL;
            return (
              <tr key={key}>
                <th scope="row">
                  {nameOf(key)} <span className="muted">({key})</span>
                </th>
                <td>
                  <select
                    aria-label={`Priority of ${key}`}
                    value={rule.priority}
                    onChange={(e) => setRule(key, { priority: e.target.value as PlaybookGovernance['priority'] })}
                  >
                    {EmailPriority.options.map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${key} is exempt from the cap`}
                    checked={rule.exempt}
                    onChange={(e) => setRule(key, { exempt: e.target.checked })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${key} is promotional`}
                    checked={rule.promotional}
                    onChange={(e) => setRule(key, { promotional: e.target.checked })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${key} is a rescue`}
                    checked={rescue.rescuePlaybooks.includes(key)}
                    onChange={(e) =>
                      setDraft({
                        ...draft,
                        quietWhileRescue: {
                          ...rescue,
                          rescuePlaybooks: e.target.checked
                            ? [...rescue.rescuePlaybooks, key]
                            : rescue.rescuePlaybooks.filter((k) => k !== key),
                        },
                      })
                    }
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label className="check">
        <input
          type="checkbox"
          checked={rescue.enabled}
          onChange={(e) => setDraft({ ...draft, quietWhileRescue: { ...rescue, enabled: e.target.checked } })}
        />{' '}
        Quiet period: no promotional email while a rescue is open for the account
      </label>
      <FormIssues error={issues} />
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          Save governance
        </button>
        {saved && (
          <span role="status" className="notice-ok">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
