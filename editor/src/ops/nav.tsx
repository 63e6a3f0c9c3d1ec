import { useEffect, useState } from 'react';
import { NavLink, useLocation } from 'react-router';
import { opsApi } from './api.js';

/** The inbox in the navigation, with how many approvals wait on me (refreshed as pages change). */
function InboxLink() {
  const location = useLocation();
  const [waiting, setWaiting] = useState<number>();
  useEffect(() => {
    const controller = new AbortController();
    opsApi.approvalCounts(controller.signal).then(
      (counts) => setWaiting(counts.mine),
      () => setWaiting(undefined),
    );
    return () => controller.abort();
  }, [location.pathname]);
  return (
    <NavLink to="/inbox">
      Inbox
      {waiting ? (
        <span className="nav-count">
          {waiting}
          <span className="visually-hidden"> waiting on you</span>
        </span>
      ) : null}
    </NavLink>
  );
}

/** The operations pages' entries in the shell's main navigation. */
export function OpsNavLinks() {
  return (
    <>
      <NavLink to="/dashboard">Dashboard</NavLink>
      <InboxLink />
      <NavLink to="/tasks">Tasks</NavLink>
      <NavLink to="/accounts">Accounts</NavLink>
      <NavLink to="/runs">Runs</NavLink>
      <NavLink to="/outbox">Outbox</NavLink>
    </>
  );
}

export function SettingsNavLink() {
  return <NavLink to="/settings">Settings</NavLink>;
}
