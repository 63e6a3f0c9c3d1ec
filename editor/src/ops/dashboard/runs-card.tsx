import { Link } from 'react-router';
import { DASHBOARD_RUN_STATUSES, type Dashboard } from '../../../../engine/dashboard/schema.js';
import { humanize } from '../../ui/words.js';
import { count, counted } from '../ui/format.js';
import { runsLink } from './links.js';

const STATUS_WORDS: Partial<Record<(typeof DASHBOARD_RUN_STATUSES)[number], string>> = { running: 'Open' };

export function RunsCard({ runs, owner }: { runs: Dashboard['runs']; owner: string | null }) {
  return (
    <section className="card" aria-labelledby="dash-runs" data-testid="dash-runs">
      <h2 id="dash-runs">Runs per playbook</h2>
      {/* Seven columns outgrow a narrow card: the table scrolls inside it (focusable, so a keyboard can scroll it). */}
      <div className="scroll-x" tabIndex={0} role="region" aria-label="Runs per playbook, by status">
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Playbook</th>
              {DASHBOARD_RUN_STATUSES.map((s) => (
                <th scope="col" className="num" key={s}>
                  {STATUS_WORDS[s] ?? humanize(s, true)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.map((p) => (
              <tr key={p.key}>
                <th scope="row">
                  {p.name}
                  {p.archived && <span className="badge">archived</span>}
                </th>
                {DASHBOARD_RUN_STATUSES.map((s) => (
                  <td className="num" key={s}>
                    <Link
                      to={runsLink(owner, { playbook: p.key, status: s })}
                      aria-label={`${p.byStatus[s] ?? 0} ${humanize(s)} runs of ${p.name}`}
                      data-testid={`dash-runs-${p.key}-${s}`}
                    >
                      {count(p.byStatus[s] ?? 0)}
                    </Link>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function FunnelCard({ funnel, owner }: { funnel: Dashboard['funnels'][number]; owner: string | null }) {
  return (
    <section className="card" aria-labelledby={`funnel-${funnel.key}`} data-testid={`dash-funnel-${funnel.key}`}>
      <h2 id={`funnel-${funnel.key}`}>
        {funnel.name}: <Link to={runsLink(owner, { playbook: funnel.key })}>{counted(funnel.started, 'run')}</Link>
      </h2>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Step (v{funnel.version})</th>
            <th scope="col" className="num">
              Did it
            </th>
            <th scope="col" className="num">
              There now
            </th>
          </tr>
        </thead>
        <tbody>
          {funnel.steps.map((step) => (
            <tr key={step.nodeId}>
              <th scope="row">
                {step.label} <span className="muted">({humanize(step.type)})</span>
              </th>
              <td className="num">
                {step.reached === null ? (
                  <span className="muted" title="This kind of step leaves no record">
                    —
                  </span>
                ) : (
                  <Link
                    to={runsLink(owner, { playbook: funnel.key, reached: step.nodeId })}
                    aria-label={`${step.reached} runs did ${step.label}`}
                  >
                    {count(step.reached)}
                  </Link>
                )}
              </td>
              <td className="num">
                <Link
                  to={runsLink(owner, { playbook: funnel.key, node: step.nodeId, status: 'running' })}
                  aria-label={`${step.here} runs stand at ${step.label} now`}
                >
                  {count(step.here)}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
