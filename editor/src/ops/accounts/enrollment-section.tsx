import { Link } from 'react-router';
import { playbooksApi } from '../../api/playbooks.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { when } from '../ui/format.js';

/**
 * Why the account is or is not in each playbook, in the server's own sentences: the summary first, the triggers,
 * the enrollment policy, the exits and what the account's workflow decided, one click away.
 */
export function EnrollmentSection({ accountId }: { accountId: string }) {
  const explanations = useAsync(
    async (signal) => {
      const { items } = await playbooksApi.list(signal);
      const playbooks = items.filter((p) => p.archivedAt === null);
      return Promise.all(
        playbooks.map(async (playbook) => {
          try {
            return { playbook, explanation: await opsApi.enrollment(accountId, playbook.key, signal) };
          } catch (error) {
            if (signal.aborted) throw error;
            return { playbook, error };
          }
        }),
      );
    },
    [accountId],
  );
  return (
    <section className="card" aria-labelledby="enrollment-title" data-testid="enrollment-why">
      <h2 id="enrollment-title">Why (not) in each playbook</h2>
      <AsyncView state={explanations} what="playbooks" isEmpty={(data) => data.length === 0}>
        {(data) => (
          <ul className="changes">
            {data.map(({ playbook, explanation, error }) => (
              <li key={playbook.key}>
                <strong>
                  <Link to={`/playbooks/${playbook.key}`}>{playbook.name}</Link>
                </strong>
                {': '}
                {explanation ? (explanation.enrolled ? 'in it now' : 'not in it') : 'could not be explained'}
                {explanation && (
                  <>
                    <ul className="why-list">
                      {explanation.summary.map((sentence, i) => (
                        <li key={i}>{sentence}</li>
                      ))}
                    </ul>
                    <details>
                      <summary>Triggers, policy and exits now</summary>
                      <ul className="why-list">
                        {explanation.now.triggers.map((t, i) => (
                          <li key={`t${i}`}>
                            Trigger ({t.trigger.type}):{' '}
                            {t.holdsNow === null ? 'waits for an event' : t.holdsNow ? 'holds' : 'does not hold'} —{' '}
                            {t.why}
                          </li>
                        ))}
                        {explanation.now.policy && <li>Enrollment policy: {explanation.now.policy.why}</li>}
                        {explanation.now.exits.map((exit, i) => (
                          <li key={`e${i}`}>
                            Exit “{exit.label}”: {exit.why}
                          </li>
                        ))}
                        {explanation.decisions.map((d, i) => (
                          <li key={`d${i}`}>
                            {when(d.at)}: {d.started ? 'started' : 'not started'} — {d.reason}; {d.detail}
                          </li>
                        ))}
                      </ul>
                    </details>
                  </>
                )}
                {error !== undefined && (
                  <span className="field-error"> {error instanceof Error ? error.message : String(error)}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </section>
  );
}
