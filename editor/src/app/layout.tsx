import { NavLink, Outlet, useRouteError } from 'react-router';
import { OpsNavLinks, SettingsNavLink } from '../ops/nav.js';
import { ErrorMessage } from '../ui/states.js';
import { SessionBadge, SessionGate } from './session.js';

function Header({ signedIn = false }: { signedIn?: boolean }) {
  return (
    <header className="app-header">
      <a className="brand" href="/playbooks">
        Stayflow
      </a>
      <nav aria-label="Main">
        {signedIn && <OpsNavLinks />}
        <NavLink to="/playbooks">Playbooks</NavLink>
        <NavLink to="/templates">Email templates</NavLink>
        {signedIn && <SettingsNavLink />}
        <a href="/api/docs">API</a>
      </nav>
      {signedIn && <SessionBadge />}
    </header>
  );
}

export function Layout() {
  return (
    <SessionGate>
      <div className="app">
        <Header signedIn />
        <main className="app-main">
          <Outlet />
        </main>
      </div>
    </SessionGate>
  );
}

/** A screen that crashed while rendering: say so instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  return (
    <div className="app">
      <Header />
      <main className="app-main page">
        <h1>This screen failed</h1>
        <ErrorMessage error={error} onRetry={() => window.location.reload()} />
      </main>
    </div>
  );
}
