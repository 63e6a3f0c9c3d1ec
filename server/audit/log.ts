import { sql } from 'kysely';
import { AuditEntry } from '../../engine/audit/entry.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { invalidCursor } from '../db/page-cursor.js';

// The audit log: who did what to what, when. Append-only (a database trigger refuses updates and deletes), written
// in the same transaction as the change where the caller has one, so a change is never without its entry.

/** Who acted: a signed-in person or a token, the system itself (start-up), or someone unknown (a failed sign-in). */
export type AuditActor = Principal | { kind: 'system'; name: string } | { kind: 'anonymous'; name: string };

export interface AuditEntryInput {
  actor: AuditActor;
  /** What happened, `noun.verb`: playbook.published, approval.decided, token.created, login.failed… */
  action: string;
  target?: { kind: string; id: string };
  /** What changed: the values, the edits, the reason. Never a secret. */
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export { AuditEntry };

function actorColumns(actor: AuditActor) {
  switch (actor.kind) {
    case 'user':
      return { actor_kind: 'user', actor_id: actor.userId, actor: actor.email };
    case 'token':
      return { actor_kind: 'token', actor_id: actor.tokenId, actor: `token '${actor.name}'` };
    case 'system':
    case 'anonymous':
      return { actor_kind: actor.kind, actor_id: null, actor: actor.name };
    default: {
      const unreachable: never = actor;
      return unreachable;
    }
  }
}

/** Appends one entry. Pass the transaction of the change it records, so both commit or neither does. */
export async function recordAudit(db: Db, entry: AuditEntryInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      ...actorColumns(entry.actor),
      action: entry.action,
      target_kind: entry.target?.kind ?? null,
      target_id: entry.target?.id ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}

export interface AuditFilters {
  action?: string;
  actorId?: string;
  targetKind?: string;
  targetId?: string;
  since?: string;
  until?: string;
  limit: number;
  cursor?: string;
}

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,19}$/.test(id)) {
    throw invalidCursor();
  }
  return id;
}

/** Entries newest first, a page at a time; `action` may end in `.*` for a family (`token.*`). */
export async function listAudit(db: Db, filters: AuditFilters) {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filters.limit + 1);
  if (filters.action?.endsWith('.*')) query = query.where('action', 'like', `${filters.action.slice(0, -1)}%`);
  else if (filters.action) query = query.where('action', '=', filters.action);
  if (filters.actorId) query = query.where('actor_id', '=', filters.actorId);
  if (filters.targetKind) query = query.where('target_kind', '=', filters.targetKind);
  if (filters.targetId) query = query.where('target_id', '=', filters.targetId);
  if (filters.since) query = query.where('at', '>=', new Date(filters.since));
  if (filters.until) query = query.where('at', '<', new Date(filters.until));
  if (filters.cursor) query = query.where('id', '<', sql<string>`${decodeCursor(filters.cursor)}::bigint`);
  const rows = await query.execute();
  const items: AuditEntry[] = rows.slice(0, filters.limit).map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    actor: { kind: row.actor_kind as AuditEntry['actor']['kind'], id: row.actor_id, name: row.actor },
    action: row.action,
    target: row.target_kind && row.target_id ? { kind: row.target_kind, id: row.target_id } : null,
    detail: row.detail as Record<string, unknown>,
    ip: row.ip,
  }));
  return { items, nextCursor: rows.length > filters.limit ? encodeCursor(items[items.length - 1]!.id) : null };
}
