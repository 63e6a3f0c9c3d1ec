import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type AppDatabase } from '../../server/db/database.js';

const mail = (subject: string) => ({
  message_id: `<${subject}@test>`,
  envelope_from: 'success@stayflow.local',
  envelope_to: ['ana@acme.example', 'luis@acme.example'],
  subject,
  text: 'hola',
  html: null,
  headers: JSON.stringify({ 'list-unsubscribe': '<https://stayflow.local/u/x>' }),
  raw: 'raw',
});

/** The same data-layer checks, run on PGlite (component lane) and on a PostgreSQL server (postgres lane). */
export function dataLayerSuite(kind: string, open: () => Promise<AppDatabase>) {
  describe(`data layer on ${kind}`, () => {
    let database: AppDatabase;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(() => database.close());

    it('applies the migrations once and finds nothing to do the second time', async () => {
      expect(await migrate(database.db)).toEqual([]);
      const tables = await database.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toContain('caught_mail');
    });

    it('stores and reads back arrays, JSON and timestamps', async () => {
      const row = await database.db
        .insertInto('caught_mail')
        .values(mail('round-trip'))
        .returningAll()
        .executeTakeFirstOrThrow();
      expect(row.envelope_to).toEqual(['ana@acme.example', 'luis@acme.example']);
      expect(row.headers).toEqual({ 'list-unsubscribe': '<https://stayflow.local/u/x>' });
      expect(row.received_at).toBeInstanceOf(Date);
      const found = await database.db
        .selectFrom('caught_mail')
        .select('subject')
        .where((eb) => eb(eb.val('luis@acme.example'), '=', eb.fn.any('envelope_to')))
        .execute();
      expect(found.map((r) => r.subject)).toContain('round-trip');
    });

    it('leaves no half-written record when a transaction fails', async () => {
      await expect(
        database.db.transaction().execute(async (tx) => {
          await tx.insertInto('caught_mail').values(mail('never-committed')).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const rows = await database.db
        .selectFrom('caught_mail')
        .select('id')
        .where('subject', '=', 'never-committed')
        .execute();
      expect(rows).toHaveLength(0);
    });

    it('keeps concurrent transactions apart', async () => {
      const failing = database.db.transaction().execute(async (tx) => {
        await tx.insertInto('caught_mail').values(mail('isolated-a')).execute();
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('rolled back');
      });
      const committing = database.db.transaction().execute(async (tx) => {
        await tx.insertInto('caught_mail').values(mail('isolated-b')).execute();
        return tx.selectFrom('caught_mail').select('subject').where('subject', 'like', 'isolated-%').execute();
      });
      const [a, b] = await Promise.allSettled([failing, committing]);
      expect(a.status).toBe('rejected');
      expect(b.status === 'fulfilled' && b.value.map((r) => r.subject)).toEqual(['isolated-b']);
      const after = await database.db
        .selectFrom('caught_mail')
        .select('subject')
        .where('subject', 'like', 'isolated-%')
        .execute();
      expect(after.map((r) => r.subject)).toEqual(['isolated-b']);
    });
  });
}
