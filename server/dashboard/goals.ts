import type { Dashboard } from '../../engine/dashboard/schema.js';
import { evaluateCondition } from '../../engine/playbook/evaluate-condition.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { accountAttribute } from '../../engine/search-attributes.js';
import type { AppContext } from '../context.js';
import { isUuid } from '../db/uuid.js';
import { countRuns, eachRun } from '../playbooks/run-search.js';
import type { PlaybookRecord } from '../playbooks/store.js';

// Time to goal — for onboarding, time to first value: for each playbook whose exit criteria name a goal reached by
// an event ("First value reached" on value.first), how long after a run started its account had that event. Read
// from the account's event log rather than the runs' timelines, so the figure covers every run without asking
// each one, and a run that exited for another reason but whose account later reached value still counts.

type Ctx = Pick<AppContext, 'temporal' | 'database'>;

const DAY_MS = 86_400_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Goal events of these accounts, oldest first per account (only the event data the exit's filter reads). */
async function goalEvents(ctx: Ctx, event: string, accountIds: string[]) {
  const byAccount = new Map<string, { at: number; data: Record<string, unknown> }[]>();
  for (let i = 0; i < accountIds.length; i += 1000) {
    const rows = await ctx.database.db
      .selectFrom('account_events')
      .select(['account_id', 'occurred_at', 'data'])
      .where('name', '=', event)
      .where('account_id', 'in', accountIds.slice(i, i + 1000))
      .orderBy('occurred_at')
      .execute();
    for (const row of rows) {
      const list = byAccount.get(row.account_id) ?? [];
      list.push({ at: row.occurred_at.getTime(), data: row.data as Record<string, unknown> });
      byAccount.set(row.account_id, list);
    }
  }
  return byAccount;
}

export async function timeToGoal(
  ctx: Ctx,
  published: { playbook: PlaybookRecord; ir: CompiledPlaybook }[],
  owner: string | undefined,
): Promise<Dashboard['timeToGoal']> {
  const figures: Dashboard['timeToGoal'] = [];
  for (const { playbook, ir } of published) {
    for (const exit of ir.exit) {
      if (exit.kind !== 'event' || !exit.goal) continue;
      const runs: { accountId: string; startedAt: number }[] = [];
      for await (const info of eachRun(ctx, { playbook: playbook.key, owner })) {
        const accountId = info.typedSearchAttributes.get(accountAttribute);
        if (accountId && isUuid(accountId)) runs.push({ accountId, startedAt: info.startTime.getTime() });
      }
      const events = await goalEvents(ctx, exit.event, [...new Set(runs.map((run) => run.accountId))]);
      const days: number[] = [];
      for (const run of runs) {
        const first = events
          .get(run.accountId)
          ?.find(
            (e) =>
              e.at >= run.startedAt && (!exit.filter || evaluateCondition(exit.filter, { account: {}, event: e.data })),
          );
        if (first) days.push((first.at - run.startedAt) / DAY_MS);
      }
      const middle = median(days);
      figures.push({
        playbook: { key: playbook.key, name: playbook.name },
        goal: exit.goal.name,
        event: exit.event,
        started: await countRuns(ctx, { playbook: playbook.key, owner }),
        reached: days.length,
        medianDays: middle === null ? null : Math.round(middle * 10) / 10,
      });
    }
  }
  return figures;
}
