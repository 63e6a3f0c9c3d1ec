import { sql } from 'kysely';
import type { Dashboard } from '../../engine/dashboard/schema.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { accountAttribute, nodeAttribute } from '../../engine/search-attributes.js';
import type { AppContext } from '../context.js';
import { eachRun } from '../playbooks/run-search.js';
import type { PlaybookRecord } from '../playbooks/store.js';
import { ownedBy } from './owner.js';

// Renewals coming up and where each stands in its cadence. The accounts are those the accounts list gives for
// the same window (`GET /api/accounts?renewalFrom=&renewalTo=`); the cadence is the published playbook that is
// triggered relative to the renewal date (the shipped renewal-cadence, or whichever replaced it).

type Ctx = Pick<AppContext, 'temporal' | 'database'>;

/** At most this many accounts are listed behind the figures; the counts cover every account in the window. */
const LISTED = 1000;

export function cadencePlaybook(
  published: { playbook: PlaybookRecord; ir: CompiledPlaybook }[],
): { playbook: PlaybookRecord; ir: CompiledPlaybook } | undefined {
  return published.find(({ ir }) =>
    ir.triggers.some((trigger) => trigger.type === 'dateRelative' && trigger.field === 'renewalDate'),
  );
}

export async function renewalFigures(
  ctx: Ctx,
  window: { from: string; to: string },
  cadence: { playbook: PlaybookRecord; ir: CompiledPlaybook } | undefined,
  owner: string | undefined,
): Promise<Dashboard['renewals']> {
  const accounts = await ctx.database.db
    .selectFrom('accounts')
    .select(['id', 'name', 'owner_csm_email', sql<string>`to_char(renewal_date, 'YYYY-MM-DD')`.as('renewal_date')])
    .where('renewal_date', '>=', window.from)
    .where('renewal_date', '<=', window.to)
    .$if(owner !== undefined, (q) => q.where(ownedBy(owner!)))
    .orderBy('renewal_date')
    .orderBy('name')
    .execute();

  // The newest cadence run of each of these accounts (visibility lists newest first).
  const runs = new Map<string, { workflowId: string; open: boolean; node: string | null; status: string }>();
  if (cadence && accounts.length > 0) {
    const wanted = new Set(accounts.map((a) => a.id));
    for await (const info of eachRun(ctx, { playbook: cadence.playbook.key, owner })) {
      const accountId = info.typedSearchAttributes.get(accountAttribute);
      if (!accountId || !wanted.has(accountId) || runs.has(accountId)) continue;
      runs.set(accountId, {
        workflowId: info.workflowId,
        open: info.status.name === 'RUNNING',
        node: info.typedSearchAttributes.get(nodeAttribute) ?? null,
        status: info.status.name.toLowerCase(),
      });
    }
  }

  const labelOf = (nodeId: string | null) =>
    (nodeId && cadence?.ir.nodes[nodeId]?.label) || (nodeId ? `step ${nodeId}` : 'an unknown step');
  const upcoming = accounts.map((account) => {
    const run = runs.get(account.id);
    const state = !run ? ('not-enrolled' as const) : run.open ? ('at-step' as const) : ('finished' as const);
    return {
      accountId: account.id,
      name: account.name,
      renewalDate: account.renewal_date,
      ownerCsmEmail: account.owner_csm_email,
      state,
      cadence:
        state === 'not-enrolled'
          ? 'Not in the cadence'
          : state === 'at-step'
            ? labelOf(run!.node)
            : `Cadence ${run!.status.replace(/_/g, ' ')}`,
      nodeId: state === 'at-step' ? run!.node : null,
      workflowId: run?.workflowId ?? null,
    };
  });

  const states = new Map<string, Dashboard['renewals']['states'][number]>();
  for (const item of upcoming) {
    const key = `${item.state}:${item.nodeId ?? ''}:${item.cadence}`;
    const entry = states.get(key) ?? { state: item.state, nodeId: item.nodeId, label: item.cadence, accounts: 0 };
    entry.accounts++;
    states.set(key, entry);
  }
  return {
    playbook: cadence ? { key: cadence.playbook.key, name: cadence.playbook.name } : null,
    ...window,
    accounts: accounts.length,
    states: [...states.values()],
    upcoming: upcoming.slice(0, LISTED),
  };
}
