import { sql } from 'kysely';
import type { Dashboard, EmailDay } from '../../engine/dashboard/schema.js';
import type { Db } from '../db/database.js';
import { utcDayEnd, utcDayStart } from '../email/outbox.js';
import { ownedBy } from './owner.js';

// Playbook emails per day and state: counted over the same rows, with the same day bounds (UTC), that
// `GET /api/outbox/deliveries?from=&to=&state=` lists.

const STATES = ['queued', 'sending', 'sent', 'failed', 'skipped', 'uncertain'] as const;

/** Every day from `from` to `to` (YYYY-MM-DD, inclusive). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export async function emailFigures(
  db: Db,
  period: { from: string; to: string },
  owner: string | undefined,
): Promise<Dashboard['emails']> {
  const rows = await db
    .selectFrom('email_outbox')
    .select([
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
      'state',
      sql<number>`count(*)`.as('emails'),
    ])
    .where('created_at', '>=', utcDayStart(period.from))
    .where('created_at', '<', utcDayEnd(period.to))
    .$if(owner !== undefined, (q) =>
      q.where('account_id', 'in', (eb) =>
        eb
          .selectFrom('accounts')
          .select(sql<string>`id::text`.as('id'))
          .where(ownedBy(owner!)),
      ),
    )
    .groupBy(['day', 'state'])
    .execute();
  const byDay = new Map<string, EmailDay>(
    daysBetween(period.from, period.to).map((day) => [
      day,
      { day, ...Object.fromEntries(STATES.map((state) => [state, 0])) } as EmailDay,
    ]),
  );
  for (const row of rows) {
    const day = byDay.get(row.day);
    if (day) day[row.state] = Number(row.emails);
  }
  return { ...period, byDay: [...byDay.values()] };
}
