import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportKind } from '../../engine/accounts/import-report.js';
import { AccountInput } from '../../engine/accounts/schema.js';
import {
  createContact,
  deleteContact,
  listContacts,
  patchContact,
  primaryContact,
} from '../../server/accounts/contacts.js';
import { MAX_IMPORT_BYTES } from '../../server/accounts/csv-read.js';
import { compileAccountFields, declareField } from '../../server/accounts/field-definitions.js';
import { importCsv } from '../../server/accounts/import.js';
import {
  accountSnapshot,
  createAccount,
  findAccount,
  findAccountByExternalId,
  listAccounts,
  patchAccount,
} from '../../server/accounts/store.js';
import type { AppDatabase, Db } from '../../server/db/database.js';

/** The accounts store and CSV import, run on PGlite (component lane) and on a PostgreSQL server (postgres lane). */
export function accountsSuite(kind: string, open: () => Promise<AppDatabase>) {
  describe(`accounts on ${kind}`, () => {
    let database: AppDatabase;
    let db: Db;
    // Names unique to this run: the postgres lane's database is shared by the suites.
    const tag = randomUUID().slice(0, 8);
    const seats = `seats_${tag}`;
    const champion = `champion_${tag}`;
    const trial = `trial_${tag}`;
    const kickoff = `kickoff_${tag}`;
    const ext = (name: string) => `${tag}-${name}`;
    const account = (name: string, extra: Record<string, unknown> = {}) =>
      createAccount(db, AccountInput.parse({ externalId: ext(name), name: `${tag} ${name}`, ...extra }));
    const csv = (text: string) => Readable.from([Buffer.from(text)]);
    const importText = (text: string, what: ImportKind = 'accounts', maxBytes = MAX_IMPORT_BYTES) =>
      importCsv(db, csv(text), what, maxBytes);
    const countOf = async (prefix: string) =>
      Number(
        (
          await db
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('external_id', 'like', `${prefix}%`)
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      database = await open();
      db = database.db;
      await declareField(db, { name: seats, type: 'number', label: 'Seats' });
      await declareField(db, { name: champion, type: 'string' });
      await declareField(db, { name: trial, type: 'boolean' });
      await declareField(db, { name: kickoff, type: 'date' });
    });
    afterAll(() => database.close());

    describe('store', () => {
      it('creates an account with defaults and finds it by id and by external id', async () => {
        const created = await account('acme', { segment: 'high-touch', mrr: 1200.5, renewalDate: '2027-03-31' });
        expect(created).toMatchObject({
          externalId: ext('acme'),
          segment: 'high-touch',
          locale: 'en',
          timeZone: 'UTC',
          mrr: 1200.5,
          renewalDate: '2027-03-31',
          startDate: null,
          custom: {},
        });
        expect(await findAccount(db, created.id)).toEqual(created);
        expect(await findAccountByExternalId(db, ext('acme'))).toEqual(created);
      });

      it('refuses a second account with the same external id (409) and answers 404 for unknown ones', async () => {
        await account('dup');
        await expect(account('dup')).rejects.toMatchObject({
          kind: 'conflict',
          message: expect.stringContaining(`external id '${ext('dup')}' already exists`),
        });
        await expect(findAccount(db, randomUUID())).rejects.toMatchObject({ kind: 'not_found' });
        await expect(findAccountByExternalId(db, ext('nobody'))).rejects.toMatchObject({ kind: 'not_found' });
      });

      it('patches part of an account and says which fields really changed', async () => {
        const created = await account('patchy', { plan: 'pro', custom: { [seats]: 10 } });
        const first = await patchAccount(db, created.id, {
          renewalDate: '2027-01-15',
          plan: 'pro',
          custom: { [seats]: 12, [champion]: 'Ana' },
        });
        expect(first.changed.sort()).toEqual(['renewalDate', champion, seats].sort());
        expect(first.account).toMatchObject({
          plan: 'pro',
          renewalDate: '2027-01-15',
          custom: { [seats]: 12, [champion]: 'Ana' },
        });
        expect(Date.parse(first.account.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
        const again = await patchAccount(db, created.id, { renewalDate: '2027-01-15', custom: { [seats]: 12 } });
        expect(again.changed).toEqual([]);
        const cleared = await patchAccount(db, created.id, { plan: null, custom: { [champion]: null } });
        expect(cleared.changed.sort()).toEqual([champion, 'plan'].sort());
        expect(cleared.account.custom).toEqual({ [seats]: 12, [champion]: null });
        await account('taken');
        await expect(patchAccount(db, created.id, { externalId: ext('taken') })).rejects.toMatchObject({
          kind: 'conflict',
        });
        await expect(patchAccount(db, randomUUID(), { plan: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
      });

      it('checks custom values against the declared fields', async () => {
        await expect(account('undeclared', { custom: { [`nope_${tag}`]: 1 } })).rejects.toMatchObject({
          kind: 'invalid',
          message: expect.stringContaining('is not a declared custom field'),
        });
        const typed = await account('typed');
        await expect(
          patchAccount(db, typed.id, { custom: { [seats]: 'many', [kickoff]: '2026-02-30', [trial]: null } }),
        ).rejects.toMatchObject({
          kind: 'invalid',
          issues: [
            { path: `custom.${seats}`, message: expect.stringContaining('must be a number') },
            { path: `custom.${kickoff}`, message: expect.stringContaining('YYYY-MM-DD') },
          ],
        });
        expect((await findAccount(db, typed.id)).custom).toEqual({});
      });

      it('declares custom fields once per name and type, never over a built-in', async () => {
        expect(await declareField(db, { name: seats, type: 'number', label: 'Licensed seats' })).toMatchObject({
          name: seats,
          label: 'Licensed seats',
        });
        await expect(declareField(db, { name: seats, type: 'string' })).rejects.toMatchObject({
          kind: 'conflict',
          message: expect.stringContaining('already declared as number'),
        });
        await expect(declareField(db, { name: 'renewal_date', type: 'date' })).rejects.toMatchObject({
          kind: 'conflict',
          message: expect.stringContaining("'renewalDate' built in"),
        });
        await expect(declareField(db, { name: seats.toUpperCase(), type: 'number' })).rejects.toMatchObject({
          kind: 'conflict',
          message: expect.stringContaining('too close'),
        });
        expect(await compileAccountFields(db)).toMatchObject({
          [seats]: 'number',
          [champion]: 'string',
          [trial]: 'boolean',
        });
      });

      it('lists by name a page at a time, filtered by segment, owner and search', async () => {
        for (const [name, segment, owner] of [
          ['list-c', 'tech-touch', 'Luis@CS.example'],
          ['list-a', 'high-touch', 'ana@cs.example'],
          ['list-b', 'high-touch', 'ana@cs.example'],
          ['list-d', 'high-touch', 'luis@cs.example'],
        ] as const) {
          await account(name, { segment, ownerCsmEmail: owner });
        }
        const q = `${tag} list`;
        const names: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await listAccounts(db, { q, limit: 3, cursor });
          names.push(...page.items.map((a) => a.name));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(names).toEqual(['a', 'b', 'c', 'd'].map((x) => `${tag} list-${x}`));
        const high = await listAccounts(db, { q, segment: 'high-touch', owner: 'ANA@cs.example', limit: 10 });
        expect(high.items.map((a) => a.name)).toEqual([`${tag} list-a`, `${tag} list-b`]);
        expect((await listAccounts(db, { q: ext('list-c'), limit: 10 })).items).toHaveLength(1);
        expect((await listAccounts(db, { q: '%', limit: 10 })).items.every((a) => a.name.includes('%'))).toBe(true);
        await expect(listAccounts(db, { limit: 10, cursor: 'garbage' })).rejects.toMatchObject({ kind: 'invalid' });
      });

      it('keeps exactly one primary contact while an account has contacts', async () => {
        const { id } = await account('contacts');
        const ana = await createContact(db, id, { name: 'Ana', email: 'ana@acme.example' });
        const luis = await createContact(db, id, { name: 'Luis', email: 'luis@acme.example', primary: false });
        expect([ana.primary, luis.primary]).toEqual([true, false]);
        await expect(createContact(db, id, { name: 'Ana again', email: 'ANA@acme.example' })).rejects.toMatchObject({
          kind: 'conflict',
          message: expect.stringContaining('already has a contact with the email'),
        });
        const eva = await createContact(db, id, { name: 'Eva', email: 'eva@acme.example', primary: true });
        expect(eva.primary).toBe(true);
        expect((await primaryContact(db, id))?.id).toBe(eva.id);
        await expect(patchContact(db, id, eva.id, { primary: false })).rejects.toMatchObject({ kind: 'conflict' });
        expect((await patchContact(db, id, luis.id, { primary: true })).primary).toBe(true);
        expect((await listContacts(db, id)).filter((c) => c.primary).map((c) => c.id)).toEqual([luis.id]);
        expect(await deleteContact(db, id, luis.id)).toEqual({ primaryContactId: ana.id });
        const unsubscribed = await patchContact(db, id, eva.id, { unsubscribed: true });
        expect(unsubscribed.unsubscribedAt).not.toBeNull();
        expect((await patchContact(db, id, eva.id, { unsubscribed: false })).unsubscribedAt).toBeNull();
        await expect(patchContact(db, id, randomUUID(), { name: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(listContacts(db, randomUUID())).rejects.toMatchObject({ kind: 'not_found' });
      });

      it('answers the snapshot a run starts with: built-in and custom fields side by side', async () => {
        const created = await account('snap', {
          segment: 'mid-touch',
          plan: 'growth',
          mrr: 300,
          locale: 'es',
          timeZone: 'America/Mexico_City',
          renewalDate: '2027-06-01',
          custom: { [seats]: 25 },
        });
        expect(await accountSnapshot(db, created.id)).toEqual({
          id: created.id,
          timeZone: 'America/Mexico_City',
          fields: {
            externalId: ext('snap'),
            name: `${tag} snap`,
            segment: 'mid-touch',
            plan: 'growth',
            mrr: 300,
            locale: 'es',
            lifecycleStage: null,
            renewalDate: '2027-06-01',
            startDate: null,
            [seats]: 25,
          },
        });
      });
    });

    describe('CSV import', () => {
      it('creates accounts from snake_case or camelCase headers, with typed custom fields, and is idempotent', async () => {
        const file = [
          `external_id,Name,segment,ownerCsmEmail,time_zone,mrr,renewal_date,${seats},${trial},${kickoff}`,
          `${ext('csv-1')},CSV One,high-touch,ana@cs.example,Europe/Madrid,1000,2027-01-31,40,yes,2026-01-10`,
          `${ext('csv-2')},"CSV Two, Inc.",tech-touch,,,0,,,false,`,
        ].join('\r\n');
        expect(await importText(file)).toEqual({
          kind: 'accounts',
          rows: 2,
          created: 2,
          updated: 0,
          unchanged: 0,
          rejected: [],
          // No playbook is published here: nothing would start.
          enrollments: [],
        });
        expect(await findAccountByExternalId(db, ext('csv-1'))).toMatchObject({
          name: 'CSV One',
          timeZone: 'Europe/Madrid',
          mrr: 1000,
          renewalDate: '2027-01-31',
          custom: { [seats]: 40, [trial]: true, [kickoff]: '2026-01-10' },
        });
        expect(await findAccountByExternalId(db, ext('csv-2'))).toMatchObject({
          name: 'CSV Two, Inc.',
          timeZone: 'UTC',
          ownerCsmEmail: null,
          custom: { [seats]: null, [trial]: false, [kickoff]: null },
        });
        expect(await importText(file)).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: [] });
        expect(await importText(file.replace(',1000,', ',1100,'))).toMatchObject({
          created: 0,
          updated: 1,
          unchanged: 1,
        });
        expect((await findAccountByExternalId(db, ext('csv-1'))).mrr).toBe(1100);
      });

      it('rejects bad rows by spreadsheet row number and column, and writes the good ones', async () => {
        const file = [
          `external_id,name,segment,mrr,renewal_date,owner_csm_email,${seats}`,
          `${ext('ok-1')},Good one,mid-touch,10,2027-01-01,ana@cs.example,3`,
          `${ext('bad-1')},Bad one,enterprise,-5,31/01/2027,not-an-email,three`,
          '',
          `,No id,,,,,`,
          `${ext('ok-1')},Good one again,,,,,`,
          `${ext('short')},Too few cells`,
          `${ext('ok-2')},Good two,,,,,`,
        ].join('\n');
        const report = await importText(file);
        expect(report).toMatchObject({ rows: 6, created: 2, updated: 0, unchanged: 0 });
        expect(report.rejected.map((r) => r.row)).toEqual([3, 5, 6, 7]);
        const bad = report.rejected[0]!;
        expect(bad.externalId).toBe(ext('bad-1'));
        expect(Object.fromEntries(bad.issues.map((i) => [i.column, i.message]))).toMatchObject({
          segment: expect.stringContaining('high-touch'),
          mrr: 'must not be negative',
          renewal_date: expect.stringContaining('YYYY-MM-DD'),
          owner_csm_email: expect.stringContaining('email address'),
          [seats]: expect.stringContaining('must be a number'),
        });
        expect(report.rejected[1]!.issues).toEqual([{ column: 'external_id', message: 'is required' }]);
        expect(report.rejected[2]!.issues[0]!.message).toContain('already on row 2');
        expect(report.rejected[3]!.issues[0]).toMatchObject({
          column: null,
          message: expect.stringContaining('2 cells'),
        });
        await expect(findAccountByExternalId(db, ext('bad-1'))).rejects.toMatchObject({ kind: 'not_found' });
        expect((await findAccountByExternalId(db, ext('ok-1'))).name).toBe('Good one');
      });

      it('updates known accounts from a file without names, and needs a name only for new ones', async () => {
        await account('known', { mrr: 5, plan: 'basic' });
        const report = await importText(`externalId,mrr\n${ext('known')},7\n${ext('unknown')},8\n`);
        expect(report).toMatchObject({ created: 0, updated: 1 });
        expect(report.rejected).toEqual([
          {
            row: 3,
            externalId: ext('unknown'),
            issues: [{ column: 'name', message: 'is required for a new account' }],
          },
        ]);
        expect(await findAccountByExternalId(db, ext('known'))).toMatchObject({ mrr: 7, plan: 'basic' });
      });

      it('refuses a file with unknown, repeated or missing columns as a whole, changing nothing', async () => {
        const before = await countOf(ext('cols'));
        await expect(importText(`external_id,name,colour,size\n${ext('cols-1')},A,red,L\n`)).rejects.toMatchObject({
          kind: 'invalid',
          code: 'invalid_columns',
          message: expect.stringContaining("unknown columns 'colour', 'size'"),
          issues: [expect.objectContaining({ path: 'colour' }), expect.objectContaining({ path: 'size' })],
        });
        await expect(importText(`external_id,externalId,name\n`)).rejects.toMatchObject({
          kind: 'invalid',
          message: expect.stringContaining("'external_id' and 'externalId'"),
        });
        await expect(importText(`name,mrr\nA,1\n`)).rejects.toMatchObject({
          kind: 'invalid',
          message: expect.stringContaining("no 'external_id' column"),
        });
        await expect(importText(`external_id;name\n${ext('cols-2')};B\n`)).rejects.toMatchObject({
          message: expect.stringContaining('comma-separated'),
        });
        expect(await countOf(ext('cols'))).toBe(before);
      });

      it('changes nothing for a file that is empty, not CSV, or too large', async () => {
        await expect(importText('')).rejects.toMatchObject({
          kind: 'invalid',
          message: expect.stringContaining('empty'),
        });
        const broken = `external_id,name\n${ext('broken-1')},Fine\n${ext('broken-2')},"Never closed\n`;
        await expect(importText(broken)).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_csv' });
        const rows = Array.from({ length: 200 }, (_, i) => `${ext(`big-${i}`)},Big ${i}`);
        await expect(importText(['external_id,name', ...rows].join('\n'), 'accounts', 1024)).rejects.toMatchObject({
          kind: 'too_large',
        });
        expect(await countOf(ext('broken'))).toBe(0);
        expect(await countOf(ext('big'))).toBe(0);
      });

      it('imports contacts by account external id and email, moving the primary flag as the API does', async () => {
        const { id } = await account('people');
        const existing = await createContact(db, id, { name: 'Old Primary', email: 'old@people.example' });
        await patchContact(db, id, existing.id, { unsubscribed: true });
        const file = [
          'account_external_id,email,name,role,primary,unsubscribed,locale',
          `${ext('people')},ana@people.example,Ana,CEO,true,,es`,
          `${ext('people')},luis@people.example,Luis,,,,`,
          `${ext('people')},OLD@people.example,Old Primary,Admin,,false,`,
          `${ext('nobody')},x@nobody.example,X,,,,`,
          `${ext('people')},LUIS@people.example,Luis twice,,,,`,
          `${ext('people')},eva@people.example,,,,,`,
        ].join('\n');
        const report = await importText(file, 'contacts');
        expect(report).toMatchObject({ kind: 'contacts', rows: 6, created: 2, updated: 1, unchanged: 0 });
        expect(report.rejected.map((r) => [r.row, r.issues[0]!.column, r.issues[0]!.message])).toEqual([
          [5, 'account_external_id', expect.stringContaining('no account has the external id')],
          [6, 'email', expect.stringContaining('already on row 3')],
          [7, 'name', 'is required for a new contact'],
        ]);
        const contacts = await listContacts(db, id);
        expect(contacts.filter((c) => c.primary).map((c) => c.email)).toEqual(['ana@people.example']);
        // "unsubscribed: false" in a file never re-subscribes someone.
        expect(contacts.find((c) => c.email === 'old@people.example')).toMatchObject({
          unsubscribed: true,
          role: 'Admin',
        });
        expect(contacts.find((c) => c.email === 'ana@people.example')).toMatchObject({ locale: 'es', role: 'CEO' });
        expect(await importText(file, 'contacts')).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
      });

      it('makes an account’s first imported contact primary when none is', async () => {
        const { id } = await account('first-contact');
        const report = await importText(
          `accountExternalId,email,name\n${ext('first-contact')},b@first.example,B\n${ext('first-contact')},a@first.example,A\n`,
          'contacts',
        );
        expect(report).toMatchObject({ created: 2, rejected: [] });
        expect((await primaryContact(db, id))?.email).toBe('b@first.example');
      });
    });
  });
}
