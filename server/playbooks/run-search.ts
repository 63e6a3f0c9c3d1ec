import { sql } from 'kysely';
import type { RunListItem } from '../../engine/runs/summary.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { isUuid } from '../db/uuid.js';
import { runSummary, runsQuery, type RunFilters } from './runs.js';

// Finding runs the way people look for them: by the customer's name and by who owns the account, not by uuid.
// Temporal's visibility only knows the search attributes a run carries (playbook, version, account id, step,
// status), so a name or an owner is first turned into the account ids it means (SQL), and those go into the
// visibility query in chunks. A list shows each run with its account's name and owner.

export interface RunSearch extends RunFilters {
  /** Part of the account's name or external id, any case. */
  accountName?: string;
  /** The account's owner CSM (email, any case). */
  owner?: string;
  /** Only runs that did this step (a step that leaves a record in the step log: email, task, approval…). */
  reached?: string;
}

type Ctx = Pick<AppContext, 'temporal' | 'database'>;

/** Ids per visibility query: long `IN` lists are slow to parse, and a query's length is bounded. */
const CHUNK = 200;
/** At most this many accounts stand behind a name or owner search; a broader search should add filters. */
export const MAX_MATCHED_ACCOUNTS = 2000;

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The stored accounts a name and/or owner search means. */
async function matchingAccountIds(db: Db, search: Pick<RunSearch, 'accountName' | 'owner'>): Promise<string[]> {
  let query = db.selectFrom('accounts').select('id').orderBy('id').limit(MAX_MATCHED_ACCOUNTS);
  if (search.accountName) {
    const pattern = likePattern(search.accountName);
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('external_id', 'ilike', pattern)]));
  }
  if (search.owner) query = query.where(sql`lower(owner_csm_email)`, '=', search.owner.toLowerCase());
  return (await query.execute()).map((row) => row.id);
}

/** Workflow ids of the runs whose step log has a record of `nodeId` (of `playbook`, when given). */
async function runsThatReached(db: Db, nodeId: string, playbook: string | undefined): Promise<string[]> {
  let query = db.selectFrom('run_steps').select('workflow_id').distinct().where('node_id', '=', nodeId);
  if (playbook) query = query.where('workflow_id', 'like', `playbook:${likePattern(playbook).slice(1, -1)}:account:%`);
  return (await query.execute()).map((row) => row.workflow_id);
}

/**
 * The visibility queries that together list a search's runs: one, or one per chunk of the account or run ids a
 * name, owner or step narrows it to; none when it narrows to nothing.
 */
export async function searchQueries(ctx: Ctx, search: RunSearch): Promise<string[]> {
  const db = ctx.database.db;
  const base = runsQuery(search);
  const accounts = search.accountName || search.owner ? new Set(await matchingAccountIds(db, search)) : undefined;
  if (search.reached) {
    let ids = await runsThatReached(db, search.reached, search.playbook);
    if (accounts) ids = ids.filter((id) => accounts.has(id.split(':')[3] ?? ''));
    return chunks(ids).map((chunk) => `${base} AND WorkflowId IN (${chunk.map(quote).join(', ')})`);
  }
  if (accounts) {
    return chunks([...accounts]).map((chunk) => `${base} AND StayflowAccount IN (${chunk.map(quote).join(', ')})`);
  }
  return [base];
}

/** How many runs a search lists (Temporal's count, summed over the chunks). */
export async function countRuns(ctx: Ctx, search: RunSearch): Promise<number> {
  let total = 0;
  for (const query of await searchQueries(ctx, search)) total += (await ctx.temporal.workflow.count(query)).count;
  return total;
}

/** Every run a search finds, up to `cap`, as Temporal's visibility describes it (for figures over many runs). */
export async function* eachRun(ctx: Ctx, search: RunSearch, cap = 10_000) {
  let seen = 0;
  for (const query of await searchQueries(ctx, search)) {
    for await (const info of ctx.temporal.workflow.list({ query, pageSize: 1000 })) {
      yield info;
      if (++seen >= cap) return;
    }
  }
}

/** The runs a search finds, newest first, each with its account's name and owner (null for an unstored account). */
export async function searchRuns(ctx: Ctx, search: RunSearch, limit: number): Promise<RunListItem[]> {
  const found: ReturnType<typeof runSummary>[] = [];
  for (const query of await searchQueries(ctx, search)) {
    let taken = 0;
    for await (const info of ctx.temporal.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
      found.push(runSummary(info));
      if (++taken >= limit) break;
    }
  }
  // Each chunk comes newest first; together they are sorted again before the page is cut.
  const runs = found.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
  const ids = [...new Set(runs.map((run) => run.account).filter((id): id is string => !!id && isUuid(id)))];
  const accounts = new Map(
    ids.length === 0
      ? []
      : (
          await ctx.database.db
            .selectFrom('accounts')
            .select(['id', 'name', 'owner_csm_email'])
            .where('id', 'in', ids)
            .execute()
        ).map((row) => [row.id, row]),
  );
  return runs.map((run) => {
    const account = run.account ? accounts.get(run.account) : undefined;
    return { ...run, accountName: account?.name ?? null, ownerCsmEmail: account?.owner_csm_email ?? null };
  });
}
