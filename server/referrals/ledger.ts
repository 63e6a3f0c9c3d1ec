import { sql } from 'kysely';
import { REFERRAL_TERMS, type ReferralLedger } from '../../engine/referrals/ledger.js';
import type { Db } from '../db/database.js';
import type { Insertable } from 'kysely';
import type { ReferralLedgerTable } from '../db/schema.js';
import { findAccount } from '../accounts/store.js';
import { keysetPage } from '../db/page-cursor.js';

// An account's referral ledger. Credits come from the account's events, as the systems that know about referrals
// send them: `referral.converted` on the referrer ({ referredName?, referredAccountId? }) earns $200, and 20 % off
// the first month for the referred account when the event names a stored one; `referral.renewed` earns $100 more.
// Reading the ledger first books any event not booked yet — one line per (event, kind), so it is idempotent and two
// readers at once book each line once.

const NAMES = ['referral.converted', 'referral.renewed'] as const;

/** Books the referral events of (and naming) this account that have no ledger line yet. */
async function bookPending(db: Db, accountId: string): Promise<void> {
  const own = await db
    .selectFrom('account_events')
    .select(['id', 'name', 'data', 'occurred_at'])
    .where('account_id', '=', accountId)
    .where('name', 'in', NAMES)
    .execute();
  const naming = await db
    .selectFrom('account_events')
    .select(['id', 'account_id', 'data', 'occurred_at'])
    .where('name', '=', 'referral.converted')
    .where(sql<string>`data->>'referredAccountId'`, '=', accountId)
    .execute();
  const lines: Insertable<ReferralLedgerTable>[] = [
    ...own.map((event) => {
      const converted = event.name === 'referral.converted';
      return {
        account_id: accountId,
        kind: converted ? ('referralCredit' as const) : ('renewalCredit' as const),
        amount_cents: converted ? REFERRAL_TERMS.referralCreditCents : REFERRAL_TERMS.renewalCreditCents,
        discount_percent: null,
        counterpart: referredOf(event.data),
        event_id: String(event.id),
        occurred_at: event.occurred_at,
      };
    }),
    ...naming.map((event) => ({
      account_id: accountId,
      kind: 'referredDiscount' as const,
      amount_cents: 0,
      discount_percent: REFERRAL_TERMS.referredDiscountPercent,
      counterpart: event.account_id,
      event_id: String(event.id),
      occurred_at: event.occurred_at,
    })),
  ];
  if (lines.length === 0) return;
  await db
    .insertInto('referral_ledger')
    .values(lines)
    .onConflict((c) => c.columns(['event_id', 'kind']).doNothing())
    .execute();
}

function referredOf(data: Record<string, unknown>): string | null {
  for (const key of ['referredName', 'referredAccountId', 'referredExternalId']) {
    const value = data[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
  }
  return null;
}

const dollars = (cents: number) => `$${(cents / 100).toFixed(0)}`;

function describe(
  kind: ReferralLedgerTable['kind'],
  counterpart: string | null,
  cents: number,
  percent: number | null,
) {
  const who = counterpart ? ` (${counterpart})` : '';
  switch (kind) {
    case 'referralCredit':
      return `${dollars(cents)} credit: a referred customer subscribed${who}`;
    case 'renewalCredit':
      return `${dollars(cents)} credit: a referred customer renewed${who}`;
    case 'referredDiscount':
      return `${percent ?? 0} % off the first month: referred by account ${counterpart ?? 'unknown'}`;
  }
}

/**
 * The account's ledger (not_found for an unknown account), after booking what its events earned. The totals count
 * every line; `entries` are one page of them, oldest first (keyset on time, event and kind), `nextCursor` the rest.
 */
export async function referralLedger(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<ReferralLedger & { nextCursor: string | null }> {
  await findAccount(db, accountId);
  await bookPending(db, accountId);
  const totals = await db
    .selectFrom('referral_ledger')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<string | number>('amount_cents'), sql<number>`0`).as('credit'),
      eb.fn.count<string | number>('event_id').filterWhere('kind', '=', 'referralCredit').as('referrals'),
      eb.fn.count<string | number>('event_id').filterWhere('kind', '=', 'renewalCredit').as('renewals'),
    ])
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  const { items: entries, nextCursor } = await keysetPage(
    db.selectFrom('referral_ledger').selectAll().where('account_id', '=', accountId),
    page,
    {
      order: 'asc',
      // One line per (event, kind): the event id (a bigint, carried as text) and the kind break ties in time.
      keys: [
        ['occurred_at', 'time'],
        ['event_id', 'bigint'],
        ['kind', 'text'],
      ],
      item: (row) => ({
        at: row.occurred_at.toISOString(),
        kind: row.kind,
        amountCents: row.amount_cents,
        discountPercent: row.discount_percent,
        counterpart: row.counterpart,
        eventId: String(row.event_id),
        description: describe(row.kind, row.counterpart, row.amount_cents, row.discount_percent),
      }),
    },
  );
  return {
    accountId,
    currency: REFERRAL_TERMS.currency,
    creditCents: Number(totals.credit),
    referrals: Number(totals.referrals),
    renewals: Number(totals.renewals),
    entries,
    nextCursor,
  };
}
