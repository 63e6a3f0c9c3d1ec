import { Link } from 'react-router';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { when } from '../ui/format.js';

/** The emails playbooks sent (or tried to send) to the account's contacts, with their state. */
export function EmailsSection({ accountId }: { accountId: string }) {
  const emails = useAsync((signal) => opsApi.deliveries({ accountId, limit: '50' }, signal), [accountId]);
  return (
    <section className="card" aria-labelledby="emails-title">
      <h2 id="emails-title">Emails</h2>
      <AsyncView state={emails} what="emails" isEmpty={(data) => data.items.length === 0}>
        {(data) => (
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">State</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((email) => (
                <tr key={email.id}>
                  <td>
                    <Link to={`/outbox/${email.id}`}>{email.subject ?? email.templateKey}</Link>
                  </td>
                  <td>{email.recipient}</td>
                  <td>
                    <span className={`state-tag ${email.state}`}>{email.state}</span>
                  </td>
                  <td className="nowrap">{when(email.sentAt ?? email.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </section>
  );
}

/** The tasks and approvals playbooks made for this account. */
export function WorkSection({ accountId }: { accountId: string }) {
  const work = useAsync(
    async (signal) => {
      const [tasks, open, decided] = await Promise.all([
        opsApi.tasks({ accountId, limit: '50' }, signal),
        opsApi.approvals({ account: accountId, view: 'open', limit: '50' }, signal),
        opsApi.approvals({ account: accountId, view: 'decided', limit: '20' }, signal),
      ]);
      return { tasks: tasks.items, approvals: [...open.items, ...decided.items] };
    },
    [accountId],
  );
  return (
    <section className="card" aria-labelledby="work-title">
      <h2 id="work-title">Tasks and approvals</h2>
      <AsyncView
        state={work}
        what="tasks and approvals"
        isEmpty={(data) => data.tasks.length === 0 && data.approvals.length === 0}
      >
        {(data) => (
          <ul className="changes">
            {data.approvals.map((approval) => (
              <li key={approval.id}>
                Approval <Link to={`/inbox/${approval.id}`}>{approval.title}</Link>{' '}
                <span className={`state-tag ${approval.overdue ? 'overdue' : approval.status}`}>
                  {approval.overdue ? 'overdue' : approval.status.replace('_', ' ')}
                </span>{' '}
                <span className="muted">
                  {approval.decision ? `decided ${when(approval.decision.at)}` : `due ${when(approval.dueAt)}`}
                </span>
              </li>
            ))}
            {data.tasks.map((task) => (
              <li key={task.id}>
                Task <Link to={`/tasks?status=${task.status}&accountId=${accountId}`}>{task.title}</Link>{' '}
                <span className={`state-tag ${task.overdue ? 'overdue' : task.status}`}>
                  {task.overdue ? 'overdue' : task.status}
                </span>{' '}
                <span className="muted">due {when(task.dueAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </section>
  );
}

/** The account's contacts and whether each still gets email, and its most recent events. */
export function PeopleSection({ accountId }: { accountId: string }) {
  const people = useAsync(
    async (signal) => {
      const [contacts, events] = await Promise.all([
        opsApi.contacts(accountId, signal),
        opsApi.events(accountId, signal),
      ]);
      return { contacts: contacts.items, events: events.items };
    },
    [accountId],
  );
  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">Contacts and recent events</h2>
      <AsyncView state={people} what="contacts and events">
        {(data) => (
          <>
            {data.contacts.length === 0 ? (
              <p className="muted">No contacts: playbook emails to the primary contact are skipped.</p>
            ) : (
              <table className="table compact" data-testid="contacts">
                <thead>
                  <tr>
                    <th scope="col">Contact</th>
                    <th scope="col">Role</th>
                    <th scope="col">Email</th>
                  </tr>
                </thead>
                <tbody>
                  {data.contacts.map((contact) => (
                    <tr key={contact.id}>
                      <td>
                        {contact.name}
                        {contact.primary && <span className="badge">primary</span>}
                        <div className="muted">{contact.email}</div>
                      </td>
                      <td>{contact.role ?? '—'}</td>
                      <td>
                        {contact.unsubscribed ? (
                          <span className="state-tag skipped">unsubscribed {when(contact.unsubscribedAt)}</span>
                        ) : (
                          <span className="state-tag sent">subscribed</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>Recent events</h3>
            {data.events.length === 0 ? (
              <p className="muted">No events yet.</p>
            ) : (
              <ul className="why-list">
                {data.events.map((event) => (
                  <li key={event.id}>
                    <code>{event.name}</code> <span className="muted">{when(event.occurredAt)}</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </AsyncView>
    </section>
  );
}
