import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';
import type { EmailOutboxTable, OutboxState, RunStepsTable } from '../db/schema.js';

// The email outbox (`email_outbox`): one row per (run, step, recipient). The sender moves a row
// queued → sending → sent | failed | skipped, and a row found `sending` by a later attempt becomes `uncertain`
// (the SMTP server may have taken the email; only a person may send it again). See docs/architecture.md.

export type OutboxRow = Selectable<EmailOutboxTable>;

export interface OutboxKey {
  workflowId: string;
  runId: string;
  stepKey: string;
  recipient: string;
}

export interface NewOutboxRow extends OutboxKey {
  recipientName: string | null;
  nodeId: string;
  accountId: string;
  contactId: string | null;
  templateKey: string;
  /** The domain of the sender, for our own Message-ID. */
  messageIdDomain: string;
}

/** The row of this step and recipient: made `queued` the first time, found as it is every later time. */
export async function openOutboxRow(db: Db, row: NewOutboxRow): Promise<OutboxRow> {
  const recipient = row.recipient.toLowerCase();
  const inserted = await db
    .insertInto('email_outbox')
    .values({
      workflow_id: row.workflowId,
      run_id: row.runId,
      step_key: row.stepKey,
      recipient,
      recipient_name: row.recipientName,
      node_id: row.nodeId,
      account_id: row.accountId,
      contact_id: row.contactId,
      template_key: row.templateKey,
      message_id: newMessageId(row.messageIdDomain),
    })
    .onConflict((oc) => oc.columns(['workflow_id', 'run_id', 'step_key', 'recipient']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  return db
    .selectFrom('email_outbox')
    .selectAll()
    .where('workflow_id', '=', row.workflowId)
    .where('run_id', '=', row.runId)
    .where('step_key', '=', row.stepKey)
    .where('recipient', '=', recipient)
    .executeTakeFirstOrThrow();
}

/** A row written at its first state by a first attempt: `sending` with what goes out, or already settled. */
export interface FreshOutboxRow extends NewOutboxRow {
  /** Chosen before the write: the tracked links and the open pixel carry it. */
  id: string;
  state: Extract<OutboxState, 'sending' | 'skipped' | 'failed'>;
  lastError?: string;
  rendered?: { subject: string; html: string; text: string; locale: string; headers: Record<string, string> };
  /** The step log's row (server/effects/perform.ts, stepLogRow), written in the same statement. */
  stepLog: Insertable<RunStepsTable>;
}

/** Our own Message-ID for a new row: the same on every resend of it. */
export const newMessageId = (domain: string) => `<${randomUUID()}@${domain}>`;

/**
 * Writes new rows and their steps' log rows in one statement (one commit), each at its first state. Answers, per
 * row, the row as stored, or undefined when its step and recipient had a row already (another attempt wrote it
 * first: the caller reads that one and goes on from where it stands).
 */
export async function insertFreshOutboxRows(
  db: Db,
  rows: readonly FreshOutboxRow[],
): Promise<(OutboxRow | undefined)[]> {
  const steps = new Map(rows.map((r) => [JSON.stringify([r.workflowId, r.runId, r.stepKey]), r.stepLog]));
  const inserted = await db
    .with('step_log', (qb) =>
      qb
        .insertInto('run_steps')
        .values([...steps.values()])
        .onConflict((oc) => oc.columns(['workflow_id', 'run_id', 'step_key']).doNothing()),
    )
    .insertInto('email_outbox')
    .values(
      rows.map((r) => ({
        id: r.id,
        workflow_id: r.workflowId,
        run_id: r.runId,
        step_key: r.stepKey,
        recipient: r.recipient.toLowerCase(),
        recipient_name: r.recipientName,
        node_id: r.nodeId,
        account_id: r.accountId,
        contact_id: r.contactId,
        template_key: r.templateKey,
        message_id: newMessageId(r.messageIdDomain),
        state: r.state,
        // A `sending` row is this attempt's claim, counted as the old queued → sending move counted it.
        attempts: r.state === 'sending' ? 1 : 0,
        last_error: r.lastError ?? null,
        ...(r.rendered && {
          subject: r.rendered.subject,
          html: r.rendered.html,
          text: r.rendered.text,
          locale: r.rendered.locale,
          headers: JSON.stringify(r.rendered.headers),
        }),
      })),
    )
    .onConflict((oc) => oc.columns(['workflow_id', 'run_id', 'step_key', 'recipient']).doNothing())
    .returningAll()
    .execute();
  const byId = new Map(inserted.map((row) => [row.id, row]));
  return rows.map((r) => byId.get(r.id));
}

/** The row of this step and recipient, if an attempt made one. */
export async function findOutboxRowByKey(db: Db, key: OutboxKey): Promise<OutboxRow | undefined> {
  return db
    .selectFrom('email_outbox')
    .selectAll()
    .where('workflow_id', '=', key.workflowId)
    .where('run_id', '=', key.runId)
    .where('step_key', '=', key.stepKey)
    .where('recipient', '=', key.recipient.toLowerCase())
    .executeTakeFirst();
}

/**
 * Marks rows `sent` with the server's reply, from `sending` or `uncertain` (a slow attempt that finishes after a
 * retry gave up on it knows the truth), in one statement; answers, per row, whether it moved.
 */
export async function markOutboxRowsSent(
  db: Db,
  rows: readonly { id: string; smtpResponse: string }[],
): Promise<boolean[]> {
  const moved = await sql<{ id: string }>`
    update email_outbox o
    set state = 'sent', sent_at = now(), updated_at = now(), smtp_response = v.reply, last_error = null
    from (values ${sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.smtpResponse}::text)`))}) as v(id, reply)
    where o.id = v.id and o.state in ('sending', 'uncertain')
    returning o.id`.execute(db);
  const ids = new Set(moved.rows.map((row) => row.id));
  return rows.map((r) => ids.has(r.id));
}

export async function findOutboxRow(db: Db, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Moves a row to `to` only from one of the states in `from`; answers the row after the move, or undefined when
 * the row was not in such a state (another attempt moved it first).
 */
export async function moveOutboxRow(
  db: Db,
  id: string,
  from: readonly OutboxState[],
  to: OutboxState,
  changes: Partial<{
    lastError: string | null;
    smtpResponse: string;
    rendered: { subject: string; html: string; text: string; locale: string; headers: Record<string, string> };
  }> = {},
): Promise<OutboxRow | undefined> {
  return db
    .updateTable('email_outbox')
    .set({
      state: to,
      updated_at: sql<Date>`now()`,
      ...(changes.lastError !== undefined ? { last_error: changes.lastError } : {}),
      ...(to === 'sending' ? { attempts: sql<number>`attempts + 1` } : {}),
      ...(to === 'sent' ? { sent_at: sql<Date>`now()`, smtp_response: changes.smtpResponse ?? null } : {}),
      ...(changes.rendered
        ? {
            subject: changes.rendered.subject,
            html: changes.rendered.html,
            text: changes.rendered.text,
            locale: changes.rendered.locale,
            headers: JSON.stringify(changes.rendered.headers),
          }
        : {}),
    })
    .where('id', '=', id)
    .where('state', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Puts a `sending` row back to `queued`, only if it is still that claim (`claimedAt`, its `updated_at` when read) and
 * the claim is older than `olderThanMs`: the age is measured on the database's clock, so a worker whose clock is off
 * cannot shorten it, and a row another attempt has since claimed again is left alone. Answers the row, or undefined
 * when it did not move.
 */
export async function requeueSending(
  db: Db,
  id: string,
  claimedAt: Date,
  olderThanMs: number,
  lastError: string,
): Promise<OutboxRow | undefined> {
  return (
    db
      .updateTable('email_outbox')
      .set({ state: 'queued', updated_at: sql<Date>`now()`, last_error: lastError })
      .where('id', '=', id)
      .where('state', '=', 'sending')
      // The same claim: `claimedAt` came back through a JS Date (milliseconds), the column keeps microseconds.
      .where(
        sql<boolean>`updated_at between ${claimedAt}::timestamptz - interval '1 millisecond' and ${claimedAt}::timestamptz + interval '1 millisecond'`,
      )
      .where(sql<boolean>`updated_at < now() - make_interval(secs => ${olderThanMs / 1000})`)
      .returningAll()
      .executeTakeFirst()
  );
}

export interface DeliveryFilters {
  state?: OutboxState;
  accountId?: string;
  workflowId?: string;
  /** Made on or after / on or before these days (YYYY-MM-DD, UTC): the dashboard's emails per day. */
  from?: string;
  to?: string;
  /** Emails of the accounts this CSM owns (email, any case). */
  owner?: string;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** The start of a UTC day, and of the day after one: days are UTC so every server and viewer count alike. */
export const utcDayStart = (day: string) => sql<Date>`(${day}::date)::timestamp at time zone 'UTC'`;
export const utcDayEnd = (day: string) => sql<Date>`(${day}::date + 1)::timestamp at time zone 'UTC'`;

/** Emails newest first, a page at a time (keyset on the creation time and id); `nextCursor` is null on the last. */
export async function listOutboxRows(
  db: Db,
  filters: DeliveryFilters,
): Promise<{ items: OutboxRow[]; nextCursor: string | null }> {
  let query = db.selectFrom('email_outbox').selectAll();
  if (filters.state) query = query.where('state', '=', filters.state);
  if (filters.accountId) query = query.where('account_id', '=', filters.accountId);
  if (filters.workflowId) query = query.where('workflow_id', '=', filters.workflowId);
  if (filters.from) query = query.where('created_at', '>=', utcDayStart(filters.from));
  if (filters.to) query = query.where('created_at', '<', utcDayEnd(filters.to));
  if (filters.owner) {
    const owner = filters.owner.toLowerCase();
    query = query.where('account_id', 'in', (eb) =>
      eb
        .selectFrom('accounts')
        .select(sql<string>`id::text`.as('id'))
        .where(sql`lower(owner_csm_email)`, '=', owner),
    );
  }
  return keysetPage(query, filters, {
    order: 'desc',
    keys: [
      ['created_at', 'time'],
      ['id', 'uuid'],
    ],
    item: (row) => row,
  });
}
