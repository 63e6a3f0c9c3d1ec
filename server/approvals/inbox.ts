import { sql, type ExpressionBuilder } from 'kysely';
import { InboxView } from '../../engine/approvals/record.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { toApproval, type Approval } from './store.js';
import { decodeCursor, encodeCursor } from '../db/page-cursor.js';

// The approvals inbox: what waits on me, on my team, what is overdue, what was decided — always within what the
// caller may see (a CSM: assigned to them or on their accounts; a manager: theirs and their team's; admins, ops,
// viewers and API tokens: all).

export const INBOX_VIEWS = InboxView.options;
export type { InboxView };

export interface InboxFilters {
  account?: string;
  playbook?: string;
  /** The run's workflow id. */
  run?: string;
}

interface Viewer {
  email: string | null;
  /** The CSMs a manager leads; empty for everyone else. */
  team: string[];
  /** Not bound by ownership: sees every approval. */
  all: boolean;
}

function viewerOf(principal: Principal): Viewer {
  if (principal.kind === 'token') return { email: null, team: [], all: true };
  const bound = principal.role === 'csm' || principal.role === 'manager';
  return { email: principal.email, team: principal.role === 'manager' ? principal.team : [], all: !bound };
}

type Where = (
  eb: ExpressionBuilder<Database, 'approvals'>,
) => ReturnType<ExpressionBuilder<Database, 'approvals'>['and']>;
const none = [''];

/** What the caller may see at all. */
function visible(viewer: Viewer): Where {
  return (eb) => {
    if (viewer.all) return eb.and([]);
    const me = viewer.email ?? '';
    const people = [me, ...viewer.team];
    return eb.or([
      eb('assignee_email', 'in', people),
      eb('owner_csm_email', 'in', people),
      eb('manager_email', '=', me),
    ]);
  };
}

function ofView(viewer: Viewer, view: InboxView, now: Date): Where {
  return (eb) => {
    const pending = eb('status', '=', 'pending');
    switch (view) {
      case 'mine':
        return eb.and([pending, eb('assignee_email', '=', viewer.email ?? '')]);
      case 'team':
        // A manager's team's open approvals; for those who see everything, every open one.
        return viewer.all
          ? eb.and([pending])
          : eb.and([pending, eb('assignee_email', 'in', viewer.team.length ? viewer.team : none)]);
      case 'overdue':
        return eb.and([pending, eb('due_at', '<', now), visible(viewer)(eb)]);
      case 'open':
        return eb.and([pending, visible(viewer)(eb)]);
      case 'decided':
        return eb.and([eb('status', '!=', 'pending'), visible(viewer)(eb)]);
      default: {
        const unreachable: never = view;
        return unreachable;
      }
    }
  };
}

function withFilters(filters: InboxFilters): Where {
  return (eb) =>
    eb.and([
      ...(filters.account ? [eb('account_id', '=', filters.account)] : []),
      ...(filters.playbook ? [eb('playbook_key', '=', filters.playbook)] : []),
      ...(filters.run ? [eb('workflow_id', '=', filters.run)] : []),
    ]);
}

// A cursor is the sort key of the last item of a page (its due or decision time, and id): pages stay stable while
// approvals come and go. Checked part by part (server/db/page-cursor.ts): a forged id is a 400, not a uuid error.

/**
 * One page of a view. Open approvals come soonest due first; decided ones newest first. `nextCursor` is null on
 * the last page.
 */
export async function listApprovals(
  db: Db,
  principal: Principal,
  request: { view: InboxView; limit: number; cursor?: string } & InboxFilters,
): Promise<{ items: Approval[]; nextCursor: string | null }> {
  const now = new Date();
  const viewer = viewerOf(principal);
  const decided = request.view === 'decided';
  const column = decided ? 'decided_at' : 'due_at';
  let query = db
    .selectFrom('approvals')
    .selectAll()
    .where(ofView(viewer, request.view, now))
    .where(withFilters(request))
    .orderBy(column, decided ? 'desc' : 'asc')
    .orderBy('id', decided ? 'desc' : 'asc')
    .limit(request.limit + 1);
  if (request.cursor) {
    const [time, id] = decodeCursor(request.cursor, ['time', 'uuid']);
    const at = new Date(time);
    query = query.where((eb) => eb(eb.refTuple(column, 'id'), decided ? '<' : '>', eb.tuple(at, id)));
  }
  const rows = await query.execute();
  const items = rows.slice(0, request.limit).map((row) => toApproval(row, now.getTime()));
  const last = items.at(-1);
  const more = rows.length > request.limit && last;
  return {
    items,
    nextCursor: more ? encodeCursor([decided ? last.decision!.at : last.dueAt, last.id]) : null,
  };
}

/** How many approvals each view holds for the caller (the inbox's badges). */
export async function approvalCounts(
  db: Db,
  principal: Principal,
): Promise<Record<Exclude<InboxView, 'open'>, number>> {
  const now = new Date();
  const viewer = viewerOf(principal);
  const count = async (view: InboxView) => {
    const row = await db
      .selectFrom('approvals')
      .select(sql<string>`count(*)`.as('n'))
      .where(ofView(viewer, view, now))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const [mine, team, overdue, decided] = await Promise.all(
    (['mine', 'team', 'overdue', 'decided'] as const).map(count),
  );
  return { mine: mine!, team: team!, overdue: overdue!, decided: decided! };
}
