import type { Dashboard, DashboardQuery } from '../../engine/dashboard/schema.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { AppContext } from '../context.js';
import { compiledVersion, listPlaybooks, type PlaybookRecord } from '../playbooks/store.js';
import { approvalFigures } from './approvals.js';
import { emailFigures } from './emails.js';
import { timeToGoal } from './goals.js';
import { healthFigures } from './health.js';
import { cadencePlaybook, renewalFigures } from './renewals.js';
import { funnelOf, runFigures } from './runs.js';

// The operations dashboard's read model: SQL over the app tables and counts from Temporal's visibility, each
// figure computed by the same query as the list it summarises (see engine/dashboard/schema.ts).

type Ctx = Pick<AppContext, 'temporal' | 'database'>;

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

export async function dashboard(ctx: Ctx, query: DashboardQuery, now = new Date()): Promise<Dashboard> {
  const db = ctx.database.db;
  const owner = query.owner;
  // Archived playbooks may still have runs going; they are counted, but have no funnel (they enroll no one).
  const playbooks = await listPlaybooks(db, { includeArchived: true });
  const published: { playbook: PlaybookRecord; ir: CompiledPlaybook }[] = [];
  for (const playbook of playbooks) {
    if (playbook.currentVersion === null || playbook.archivedAt !== null) continue;
    published.push({ playbook, ir: await compiledVersion(db, playbook) });
  }
  const today = day(now.getTime());
  const period = { from: day(now.getTime() - (query.days - 1) * DAY_MS), to: today };
  const [health, runs, funnels, emails, approvals, goals, renewals] = await Promise.all([
    healthFigures(db, owner),
    runFigures(ctx, playbooks, owner),
    Promise.all(published.map(({ playbook, ir }) => funnelOf(ctx, playbook, ir, owner))),
    emailFigures(db, period, owner),
    approvalFigures(db, period, owner),
    timeToGoal(ctx, published, owner),
    renewalFigures(
      ctx,
      { from: today, to: day(now.getTime() + query.renewalDays * DAY_MS) },
      cadencePlaybook(published),
      owner,
    ),
  ]);
  return {
    asOf: now.toISOString(),
    owner: owner ?? null,
    health,
    runs,
    funnels,
    emails,
    approvals,
    timeToGoal: goals,
    renewals,
  };
}
