import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD } from '../../engine/health/scorecard.js';
import { createToken, listTokens, revokeToken, verifyToken } from '../../server/auth/tokens.js';
import type { AppDatabase, Db } from '../../server/db/database.js';
import {
  eventsAfter,
  recordEvents,
  resolveEventAccounts,
  UnknownAccountsError,
  type NewAccountEvent,
} from '../../server/events/store.js';
import { readMetrics } from '../../server/health/metrics.js';
import {
  accountHealth,
  currentScorecard,
  installDefaultScorecard,
  rescoreAll,
  saveScorecard,
  scoreAndRecord,
} from '../../server/health/service.js';

const DAY = 86_400_000;
const day = (iso: string) => new Date(iso);
const daysBefore = (at: Date, days: number) => new Date(at.getTime() - days * DAY);

/** The events, tokens and health checks, run on PGlite (component lane) and on a PostgreSQL server (postgres lane). */
export function eventsHealthSuite(kind: string, open: () => Promise<AppDatabase>) {
  describe(`events and health on ${kind}`, () => {
    let database: AppDatabase;
    let db: Db;
    beforeAll(async () => {
      database = await open();
      db = database.db;
      await installDefaultScorecard(db);
    });
    afterAll(() => database.close());

    const account = async (createdAt = day('2025-01-01T00:00:00Z')) => {
      const row = await db
        .insertInto('accounts')
        .values({ external_id: `acct-${randomUUID()}`, name: 'Acme', created_at: createdAt })
        .returning(['id', 'external_id'])
        .executeTakeFirstOrThrow();
      return row;
    };
    const event = (
      accountId: string,
      name: string,
      occurredAt = new Date(),
      data: Record<string, unknown> = {},
      idempotencyKey?: string,
    ): NewAccountEvent => ({ accountId, name, occurredAt, data, ...(idempotencyKey && { idempotencyKey }) });

    it('numbers each account’s events 1, 2, 3… in the order sent, across batches', async () => {
      const a = (await account()).id;
      const b = (await account()).id;
      const first = await recordEvents(db, [
        event(a, 'product.login'),
        event(b, 'product.login'),
        event(a, 'feature.used', undefined, { feature: 'reports' }),
        event(a, 'product.session', undefined, { minutes: 12 }),
      ]);
      expect(first.map((r) => [r.index, r.accountId === a ? 'a' : 'b', r.seq, r.status])).toEqual([
        [0, 'a', 1, 'accepted'],
        [1, 'b', 1, 'accepted'],
        [2, 'a', 2, 'accepted'],
        [3, 'a', 3, 'accepted'],
      ]);
      const second = await recordEvents(db, [event(a, 'email.replied')]);
      expect(second[0]!.seq).toBe(4);
      expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(5);

      const all = await eventsAfter(db, a, 0);
      expect(all.map((e) => [e.seq, e.name])).toEqual([
        [1, 'product.login'],
        [2, 'feature.used'],
        [3, 'product.session'],
        [4, 'email.replied'],
      ]);
      expect(all[1]!.data).toEqual({ feature: 'reports' });
      expect((await eventsAfter(db, a, 2, 1)).map((e) => e.seq)).toEqual([3]);
      expect(await eventsAfter(db, a, 4)).toEqual([]);
    });

    it('stores an idempotency key once per account and reports the repeat as duplicate', async () => {
      const a = (await account()).id;
      const b = (await account()).id;
      const first = await recordEvents(db, [
        event(a, 'nps.answered', undefined, { score: 9 }, 'survey-1'),
        event(a, 'nps.answered', undefined, { score: 9 }, 'survey-1'),
        event(a, 'product.login', undefined, {}, 'login-1'),
      ]);
      expect(first.map((r) => [r.seq, r.status])).toEqual([
        [1, 'accepted'],
        [1, 'duplicate'],
        [2, 'accepted'],
      ]);
      expect(first[1]!.id).toBe(first[0]!.id);

      const again = await recordEvents(db, [
        event(a, 'nps.answered', undefined, { score: 9 }, 'survey-1'),
        event(a, 'product.login'),
        event(b, 'nps.answered', undefined, { score: 3 }, 'survey-1'),
      ]);
      expect(again.map((r) => [r.seq, r.status])).toEqual([
        [1, 'duplicate'],
        [3, 'accepted'],
        [1, 'accepted'],
      ]);
      expect(again[0]!.id).toBe(first[0]!.id);
      expect((await eventsAfter(db, a, 0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('stores nothing of a batch that names an unknown account, and loses no seq', async () => {
      const a = (await account()).id;
      await recordEvents(db, [event(a, 'product.login')]);
      const missing = randomUUID();
      await expect(recordEvents(db, [event(a, 'product.login'), event(missing, 'product.login')])).rejects.toThrow(
        UnknownAccountsError,
      );
      expect((await eventsAfter(db, a, 0)).length).toBe(1);
      expect((await recordEvents(db, [event(a, 'product.login')]))[0]!.seq).toBe(2);
    });

    it('keeps seq gapless and each batch contiguous under concurrent writers of one account', async () => {
      const a = (await account()).id;
      const batches = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          recordEvents(db, [event(a, `w${i}.one`), event(a, `w${i}.two`), event(a, `w${i}.three`)]),
        ),
      );
      for (const batch of batches) {
        const seqs = batch.map((r) => r.seq);
        expect(seqs).toEqual([seqs[0]!, seqs[0]! + 1, seqs[0]! + 2]);
      }
      const stored = await eventsAfter(db, a, 0, 100);
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    });

    it('resolves accounts by id or externalId and names the unknown ones by position', async () => {
      const acme = await account();
      const unknownId = randomUUID();
      const received = new Date('2025-05-01T10:00:00Z');
      const ok = await resolveEventAccounts(
        db,
        [
          { externalId: acme.external_id, name: 'product.login', data: {} },
          { accountId: acme.id, name: 'x', data: {}, occurredAt: '2025-04-30T09:00:00+02:00', idempotencyKey: 'k' },
        ],
        { receivedAt: received, pathOf: (i) => `events[${i}]` },
      );
      expect(ok).toEqual({
        ok: true,
        events: [
          { accountId: acme.id, name: 'product.login', occurredAt: received, data: {} },
          {
            accountId: acme.id,
            name: 'x',
            occurredAt: new Date('2025-04-30T07:00:00Z'),
            data: {},
            idempotencyKey: 'k',
          },
        ],
      });
      const bad = await resolveEventAccounts(
        db,
        [
          { externalId: acme.external_id, name: 'a', data: {} },
          { externalId: 'nobody', name: 'a', data: {} },
          { accountId: unknownId, name: 'a', data: {} },
        ],
        { receivedAt: received, pathOf: (i) => `events[${i}]` },
      );
      expect(bad).toEqual({
        ok: false,
        issues: [
          { path: 'events[1].externalId', code: 'unknown_account', message: "no account has externalId 'nobody'" },
          { path: 'events[2].accountId', code: 'unknown_account', message: `no account has accountId '${unknownId}'` },
        ],
      });
    });

    it('reads each signal’s metric from the events that happened by the instant asked', async () => {
      const asOf = day('2025-03-01T12:00:00Z');
      const a = (await account(day('2025-01-01T00:00:00Z'))).id;
      await recordEvents(db, [
        event(a, 'product.session', day('2025-02-27T10:00:00Z'), { minutes: 30 }),
        event(a, 'product.session', day('2025-02-28T10:00:00Z'), { minutes: 12.5 }),
        event(a, 'product.session', day('2025-02-20T10:00:00Z'), { minutes: 300 }), // before the 7-day window
        event(a, 'product.session', day('2025-03-02T10:00:00Z'), { minutes: 300 }), // after asOf
        event(a, 'feature.used', day('2025-02-10T10:00:00Z'), { feature: 'reports' }),
        event(a, 'feature.used', day('2025-02-11T10:00:00Z'), { feature: 'reports' }),
        event(a, 'feature.used', day('2025-02-12T10:00:00Z'), { feature: 'alerts' }),
        event(a, 'feature.used', day('2025-01-15T10:00:00Z'), { feature: 'exports' }), // 45 days before
        event(a, 'product.login', day('2025-02-25T12:00:00Z')),
        event(a, 'product.login', day('2025-02-01T12:00:00Z')),
        event(a, 'nps.answered', day('2025-01-10T12:00:00Z'), { score: 9 }),
        event(a, 'nps.answered', day('2025-02-15T12:00:00Z'), { score: 5 }),
        event(a, 'nps.answered', day('2025-03-01T13:00:00Z'), { score: 10 }), // an hour after asOf
        event(a, 'support.ticket', day('2025-02-15T12:00:00Z'), { topic: 'billing' }),
      ]);
      const readings = await readMetrics(db, a, DEFAULT_SCORECARD, asOf);
      expect(readings).toEqual({
        'low-sessions': { value: 2 },
        'low-time-in-product': { value: 42.5 },
        'few-features': { value: 2 },
        'no-login-7-days': { value: 4 },
        'no-email-replies': { value: 0 },
        // Tracked since 1 January: 59.5 days, less than these signals' 90-day windows.
        'no-support-interaction': { value: null, reason: 'window-not-observed' },
        'nps-below-7': { value: 5 },
        'csat-below-3': { value: null, reason: 'no-events' },
        'ces-above-3': { value: null, reason: 'no-events' },
        'no-webinars': { value: null, reason: 'window-not-observed' },
        'no-resource-downloads': { value: null, reason: 'window-not-observed' },
        'no-community': { value: null, reason: 'window-not-observed' },
      });
      // A month later the 90-day windows are observed, and the ticket counts as a support interaction.
      const later = await readMetrics(db, a, DEFAULT_SCORECARD, day('2025-04-05T12:00:00Z'));
      expect(later['no-support-interaction']).toEqual({ value: 1 });
      expect(later['no-webinars']).toEqual({ value: 0 });
      expect(later['nps-below-7']).toEqual({ value: 10 });
    });

    it('counts days since the last event from the start of tracking when there is none; backfill moves the start', async () => {
      const created = day('2025-06-01T00:00:00Z');
      const a = (await account(created)).id;
      expect((await readMetrics(db, a, DEFAULT_SCORECARD, day('2025-06-04T08:00:00Z')))['no-login-7-days']).toEqual({
        value: 3,
        since: 'tracking-start',
      });
      expect((await readMetrics(db, a, DEFAULT_SCORECARD, day('2025-06-01T00:00:00Z')))['low-sessions']).toEqual({
        value: null,
        reason: 'window-not-observed',
      });
      // History sent for the months before the account was created in Stayflow: the windows are observed.
      await recordEvents(db, [event(a, 'webinar.attended', daysBefore(created, 100))]);
      const readings = await readMetrics(db, a, DEFAULT_SCORECARD, day('2025-06-04T08:00:00Z'));
      expect(readings['no-webinars']).toEqual({ value: 0 });
      expect(readings['no-login-7-days']).toEqual({ value: 103, since: 'tracking-start' });
    });

    it('scores and records an account with the why, and says when its level changes', async () => {
      const asOf = day('2025-09-01T12:00:00Z');
      const a = (await account(daysBefore(asOf, 120))).id;
      const silent = await scoreAndRecord(db, a, asOf);
      expect(silent).toMatchObject({ previousLevel: null, level: 'high', changed: true });
      expect(silent.score).toMatchObject({ accountId: a, scorecardVersion: 1, riskScore: 100, healthScore: 0 });
      expect(silent.score.computedAt).toBe(asOf.toISOString());
      expect(silent.score.fired.map((f) => f.signalId)).toEqual([
        'low-sessions',
        'low-time-in-product',
        'few-features',
        'no-login-7-days',
        'no-email-replies',
        'no-support-interaction',
        'no-webinars',
        'no-resource-downloads',
        'no-community',
      ]);
      expect(silent.score.fired.find((f) => f.signalId === 'no-login-7-days')!.why).toBe(
        '120 days since Stayflow began tracking the account, with no login yet (>= 7 is a risk)',
      );

      const recent = (days: number) => daysBefore(asOf, days);
      await recordEvents(db, [
        event(a, 'product.session', recent(1), { minutes: 50 }),
        event(a, 'product.session', recent(2), { minutes: 40 }),
        event(a, 'product.login', recent(1)),
        ...['reports', 'alerts', 'exports'].map((feature) => event(a, 'feature.used', recent(3), { feature })),
        event(a, 'email.replied', recent(5)),
        event(a, 'support.interaction', recent(20)),
        event(a, 'webinar.attended', recent(40)),
        event(a, 'resource.downloaded', recent(50)),
        event(a, 'nps.answered', recent(10), { score: 6 }),
      ]);
      const engaged = await scoreAndRecord(db, a, asOf);
      expect(engaged).toMatchObject({ previousLevel: 'high', level: 'low', changed: true });
      expect(engaged.score.fired.map((f) => [f.signalId, f.points, f.why])).toEqual([
        ['nps-below-7', 30, 'latest NPS score in the last 365 days: 6 (< 7 is a risk)'],
        ['no-community', 5, '0 community contributions in the last 90 days (< 1 is a risk)'],
      ]);
      expect(engaged.score).toMatchObject({ riskScore: 35, healthScore: 65 });

      const same = await scoreAndRecord(db, a, asOf);
      expect(same).toMatchObject({ previousLevel: 'low', level: 'low', changed: false });
      const health = await accountHealth(db, a);
      expect(health.history.map((h) => h.riskScore)).toEqual([35, 35, 100]);
      expect(health.latest!.fired[0]!.why).toContain('NPS score');
    });

    it('tokens: the secret is returned once, stored only as a hash, and stops working when revoked', async () => {
      const { token, secret } = await createToken(db, { name: 'product analytics', scopes: ['events:write'] });
      expect(secret).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
      const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(secret.slice(3));
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);

      expect(await verifyToken(db, secret)).toMatchObject({ id: token.id, scopes: ['events:write'], revokedAt: null });
      expect(await verifyToken(db, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
      expect(await verifyToken(db, 'not-a-token')).toBeUndefined();
      expect((await listTokens(db)).find((t) => t.id === token.id)!.lastUsedAt).not.toBeNull();

      const revoked = await revokeToken(db, token.id);
      expect(revoked.revokedAt).not.toBeNull();
      expect(await verifyToken(db, secret)).toBeUndefined();
      expect((await revokeToken(db, token.id)).revokedAt).toBe(revoked.revokedAt);
    });

    it('saves a new scorecard as the next version, and rescoreAll scores every account under it', async () => {
      const before = await currentScorecard(db);
      const accounts = await Promise.all([account(), account(), account()]);
      const onlySessions = { signals: [DEFAULT_SCORECARD.signals[0]!] };
      const saved = await saveScorecard(db, onlySessions);
      expect(saved.version).toBe(before.version + 1);
      expect(saved.definition.points).toEqual({ high: 30, medium: 15, low: 5 });
      expect((await currentScorecard(db)).version).toBe(saved.version);
      await expect(saveScorecard(db, { signals: [] })).rejects.toThrow();

      const asOf = day('2025-12-01T00:00:00Z');
      const total = Number(
        (
          await db
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const result = await rescoreAll(db, asOf, { batchSize: 2 });
      expect(result.scored).toBeGreaterThanOrEqual(total);
      for (const { id } of accounts) {
        const { latest } = await accountHealth(db, id);
        // Only the sessions signal is left: 30 points, low; each account's first score, so a change.
        expect(latest).toMatchObject({ scorecardVersion: saved.version, riskScore: 30, riskLevel: 'low' });
        expect(result.changed).toContainEqual({ accountId: id, previousLevel: null, level: 'low' });
      }
    });
  });
}
