import { NavLink } from 'react-router';
import { useSession } from '../../app/session.js';

/** The settings pages; the email templates are the playbook editor's own template screens. */
export function SettingsTabs() {
  const session = useSession();
  return (
    <nav className="tabs-bar" aria-label="Settings">
      <NavLink to="/settings/scorecard">Health scorecard</NavLink>
      <NavLink to="/templates">Email templates</NavLink>
      <NavLink to="/settings/csms">CSM profiles</NavLink>
      <NavLink to="/settings/sending">Calendars and sending</NavLink>
      {session?.user.role === 'admin' && <NavLink to="/settings/users">Users and teams</NavLink>}
      <NavLink to="/settings/account-fields">Account fields</NavLink>
      {session?.user.role === 'admin' && <NavLink to="/settings/tokens">API tokens</NavLink>}
      {session?.user.role === 'admin' && <NavLink to="/settings/audit">Audit log</NavLink>}
    </nav>
  );
}
