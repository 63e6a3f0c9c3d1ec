import { useSession } from '../../app/session.js';
import { useAsync } from '../../ui/use-async.js';
import { AsyncView } from '../ui/async-view.js';
import { CalendarsForm } from './calendars-form.js';
import { GovernanceForm } from './governance-form.js';
import { sendingApi } from './sending-api.js';
import { SlackForm } from './slack-form.js';
import { SettingsTabs } from './settings-tabs.js';
import '../ops.css';
import './sending.css';

/** Settings → Calendars and sending: business calendars, send windows and quiet hours, contact governance, Slack. */
export function SendingPage() {
  const session = useSession();
  const calendars = useAsync((signal) => sendingApi.calendars(signal), []);
  const governance = useAsync(async (signal) => {
    const [stored, playbooks] = await Promise.all([sendingApi.governance(signal), sendingApi.playbookKeys(signal)]);
    return { stored, playbooks };
  }, []);
  const slack = useAsync((signal) => sendingApi.slack(signal), []);
  // Admins and ops edit; everyone else reads (the server refuses their saves too).
  const mayEdit = session?.user.role === 'admin' || session?.user.role === 'ops';
  return (
    <div className="page">
      <h1>Settings</h1>
      <SettingsTabs />
      {!mayEdit && <p className="muted">Only admins and operations can change these settings.</p>}
      <fieldset className="plain" disabled={!mayEdit}>
        <legend className="visually-hidden">Calendars and sending</legend>
        <AsyncView state={calendars} what="calendars">
          {(stored) => <CalendarsForm stored={stored} />}
        </AsyncView>
        <AsyncView state={governance} what="contact governance">
          {({ stored, playbooks }) => <GovernanceForm stored={stored} playbooks={playbooks} />}
        </AsyncView>
        <AsyncView state={slack} what="Slack settings">
          {(initial) => <SlackForm initial={initial} />}
        </AsyncView>
      </fieldset>
    </div>
  );
}
