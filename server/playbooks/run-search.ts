import { createHmac, timingSafeEqual } from 'node:crypto';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers.js';
import { sql } from 'kysely';
import type { RunListItem } from '../../engine/runs/summary.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../db/page-cursor.js';
import { isUuid } from '../db/uuid.js';
import { loadLinkSecret } from '../email/link-secret.js';
import { DomainError } from '../errors.js';
import { runSummary, runsQuery, type RunFilters } from './runs.js';
import { runWords } from './run-words.js';

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
/** Paging signs its cursors with the install's secret (config.LINK_SECRET, or the stored one). */
type PagingCtx = Pick<AppContext, 'temporal' | 'database' | 'config'>;

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

// A runs cursor is where Temporal's visibility list stopped: which of the search's queries (chunks) and that query's
// own nextPageToken. Temporal does not check a token it is handed (garbage answers "something went wrong"), so the
// cursor is signed with the install's secret over the search's queries: a cursor of another search, or one nobody
// gave out, is refused before Temporal sees it.
async function cursorMac(ctx: PagingCtx, queries: string[], chunk: number, token: string): Promise<string> {
  const secret = await loadLinkSecret(ctx.database.db, ctx.config.LINK_SECRET);
  return createHmac('sha256', `runs-cursor:${secret}`)
    .update(JSON.stringify([queries, chunk, token]))
    .digest('base64url')
    .slice(0, 22);
}

async function decodeRunCursor(ctx: PagingCtx, cursor: string, queries: string[]) {
  const [mac, chunk, token] = decodeCursor(cursor, ['text', 'int', 'text']);
  const expected = await cursorMac(ctx, queries, chunk, token);
  if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
    throw new DomainError(
      'invalid',
      'invalid_cursor',
      'The cursor is not one this API gave out for this search (its filters, or the accounts they match, changed); start again without it',
    );
  }
  return { chunk, token: token ? Buffer.from(token, 'base64url') : undefined };
}

// gRPC INVALID_ARGUMENT: Temporal refused the page token (one it did not give out).
const invalidArgument = (error: unknown) => (error as { code?: unknown }).code === 3;

/**
 * One page of the runs a search finds, each with its account's name and owner (null for an unstored account).
 * Newest first within each visibility query; a name, owner or step search spanning more than one chunk of ids lists
 * chunk after chunk. `nextCursor` (Temporal's own page token, wrapped) is null on the last page.
 */
export async function searchRuns(
  ctx: PagingCtx,
  search: RunSearch,
  page: { limit: number; cursor?: string },
): Promise<{ items: RunListItem[]; nextCursor: string | null }> {
  const queries = await searchQueries(ctx, search);
  let { chunk, token } = page.cursor
    ? await decodeRunCursor(ctx, page.cursor, queries)
    : { chunk: 0, token: undefined as Uint8Array | undefined };
  const runs: ReturnType<typeof runSummary>[] = [];
  const { namespace, loadedDataConverter } = ctx.temporal.options;
  while (chunk < queries.length && runs.length < page.limit) {
    let response;
    try {
      response = await ctx.temporal.workflowService.listWorkflowExecutions({
        namespace,
        query: queries[chunk],
        pageSize: page.limit - runs.length,
        nextPageToken: token,
      });
    } catch (error) {
      if (token && invalidArgument(error)) throw invalidCursor();
      throw error;
    }
    for (const raw of response.executions) {
      runs.push(runSummary(await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace)));
    }
    if (response.nextPageToken?.length) token = response.nextPageToken;
    else [chunk, token] = [chunk + 1, undefined];
  }
  let nextCursor: string | null = null;
  if (chunk < queries.length) {
    const text = token ? Buffer.from(token).toString('base64url') : '';
    nextCursor = encodeCursor([await cursorMac(ctx, queries, chunk, text), chunk, text]);
  }
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
  const words = await runWords(ctx.database.db, runs);
  const items = runs.map((run, i) => {
    const account = run.account ? accounts.get(run.account) : undefined;
    return {
      ...run,
      ...words[i]!,
      accountName: account?.name ?? null,
      ownerCsmEmail: account?.owner_csm_email ?? null,
    };
  });
  return { items, nextCursor };
}
