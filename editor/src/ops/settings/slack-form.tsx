import { useState } from 'react';
import { SlackSettingsInput, type SlackSettings } from '../../../../engine/notifications/slack-settings.js';
import { ErrorMessage } from '../../ui/states.js';
import { FormIssues } from './form-issues.js';
import { useCheckedSave } from './use-checked-save.js';
import { sendingApi } from './sending-api.js';

// Slack: the incoming webhook notify steps and assignment notices post to. The stored address is a secret, so the
// page only ever shows it masked; typing a new one replaces it, removing it falls back to SLACK_WEBHOOK_URL.

export function SlackForm({ initial }: { initial: SlackSettings }) {
  const [current, setCurrent] = useState(initial);
  const [url, setUrl] = useState('');
  const {
    save: check,
    issues,
    failure,
    saving,
    saved,
  } = useCheckedSave(SlackSettingsInput, sendingApi.saveSlack, (answer) => {
    setCurrent(answer);
    setUrl('');
  });
  const save = (webhookUrl: string | null) => check({ webhookUrl });

  const where =
    current.source === 'settings' ? 'set here' : current.source === 'environment' ? 'from SLACK_WEBHOOK_URL' : '';
  return (
    <form
      aria-label="Slack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(url.trim());
      }}
    >
      <h2>Slack</h2>
      <p className="muted">
        {current.configured
          ? `Notify steps and assignment notices post to ${current.webhookUrl} (${where}).`
          : 'Slack is not configured: notify steps to Slack are skipped.'}
      </p>
      <label className="field" htmlFor="slack-url">
        <span>New incoming-webhook address (https://hooks.slack.com/services/…)</span>
        <input id="slack-url" type="url" autoComplete="off" value={url} onChange={(e) => setUrl(e.target.value)} />
      </label>
      <FormIssues error={issues} />
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving || url.trim() === ''}>
          Save Slack webhook
        </button>
        {current.source === 'settings' && (
          <button type="button" disabled={saving} onClick={() => void save(null)}>
            Remove the webhook set here
          </button>
        )}
        {saved && (
          <span role="status" className="notice-ok">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
