import { Link, useParams } from 'react-router';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { onDay } from '../ui/format.js';
import { EmailsSection, PeopleSection, WorkSection } from './activity-sections.js';
import { EnrollmentSection } from './enrollment-section.js';
import { HealthSection } from './health-section.js';
import { ReferralsSection } from './referrals-section.js';
import { RunsSection } from './runs-section.js';
import '../ops.css';

/** One account: its record, health with the why, the runs it is in, why (not) in each playbook, and its activity. */
export function AccountPage() {
  const { accountId = '' } = useParams();
  const account = useAsync((signal) => opsApi.account(accountId, signal), [accountId]);
  return (
    <div className="page wide">
      <p>
        <Link to="/accounts">← Accounts</Link>
      </p>
      <AsyncView state={account} what="the account">
        {(a) => (
          <>
            <h1>{a.name}</h1>
            <dl className="facts">
              <dt>External id</dt>
              <dd>{a.externalId}</dd>
              <dt>Segment</dt>
              <dd>{a.segment ?? '—'}</dd>
              <dt>Owner CSM</dt>
              <dd>{[a.ownerCsmName, a.ownerCsmEmail].filter(Boolean).join(' · ') || 'none'}</dd>
              <dt>CSM manager</dt>
              <dd>{a.csmManagerEmail ?? '—'}</dd>
              <dt>Plan · MRR</dt>
              <dd>
                {a.plan ?? '—'} · {a.mrr?.toLocaleString() ?? '—'}
              </dd>
              <dt>Lifecycle stage</dt>
              <dd>{a.lifecycleStage ?? '—'}</dd>
              <dt>Start · renewal</dt>
              <dd>
                {onDay(a.startDate)} · {onDay(a.renewalDate)}
              </dd>
              <dt>Language · time zone</dt>
              <dd>
                {a.locale} · {a.timeZone}
              </dd>
            </dl>
            <div className="ops-grid">
              <HealthSection accountId={a.id} />
              <RunsSection accountId={a.id} />
              <EnrollmentSection accountId={a.id} />
              <WorkSection accountId={a.id} />
              <EmailsSection accountId={a.id} />
              <ReferralsSection accountId={a.id} />
              <PeopleSection accountId={a.id} />
            </div>
          </>
        )}
      </AsyncView>
    </div>
  );
}
