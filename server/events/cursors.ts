import type { Db } from '../db/database.js';

// How far an account's workflow has applied its events (by `seq`). The workflow keeps its own cursor too; this one
// lets a new or continued-as-new workflow start where the last one stopped.

export async function appliedSeq(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('account_event_cursors')
    .select('applied_seq')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? Number(row.applied_seq) : 0;
}

export async function saveAppliedSeq(db: Db, accountId: string, seq: number): Promise<void> {
  await db
    .insertInto('account_event_cursors')
    .values({ account_id: accountId, applied_seq: seq })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet((eb) => ({
        // Never backwards: a retried activity carrying an older seq must not undo a newer one.
        applied_seq: eb.fn('greatest', ['account_event_cursors.applied_seq', eb.ref('excluded.applied_seq')]),
      })),
    )
    .execute();
}
