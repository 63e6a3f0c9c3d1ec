import { NavLink } from 'react-router';

/** The two lists of the outbox: what playbooks send, and what the embedded SMTP server caught. */
export function OutboxTabs() {
  return (
    <nav className="tabs-bar" aria-label="Outbox">
      <NavLink to="/outbox" end>
        Playbook emails
      </NavLink>
      <NavLink to="/outbox/caught">Caught mail (SMTP)</NavLink>
    </nav>
  );
}

/** An email's HTML, shown without running anything in it (a sandboxed frame: no scripts, no forms, no top navigation). */
export function EmailFrame({ html, title }: { html: string; title: string }) {
  return <iframe title={title} sandbox="" srcDoc={html} className="email-preview" />;
}
