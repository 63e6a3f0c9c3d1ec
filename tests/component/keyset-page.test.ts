import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Generated } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor, keysetPage, type KeyPart } from '../../server/db/page-cursor.js';
import { pglitePool } from '../../server/db/pglite-pool.js';

// keysetPage on its own table in PGlite: every store list pages through it, so here it pages a table whose rows
// tie on their time (to the microsecond) in both orders, by keys of one to three parts (an expression among them),
// and must list each row exactly once, in the order of one long query, and refuse any cursor it did not give out.

interface Things {
  things: { id: Generated<string>; at: Date; name: string; n: number; big: string; open: boolean };
}

const ROWS = 23;
// Five instants, so most rows share their time with others; microseconds that a Date (ms) would lose.
const TIMES = [
  '2026-03-02 09:00:00.123456+00',
  '2026-03-02 09:00:00.123457+00',
  '2026-03-02 10:30:00+00',
  '2026-03-03 00:00:00.5+00',
  '2026-04-01 12:00:00.000001+00',
];

let pglite: PGlite;
let db: Kysely<Things>;

beforeAll(async () => {
  pglite = await PGlite.create('memory://');
  db = new Kysely<Things>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
  await sql`create table things (
    id uuid primary key default gen_random_uuid(),
    at timestamptz not null,
    name text not null,
    n integer not null unique,
    big bigint not null,
    open boolean not null
  )`.execute(db);
  await db
    .insertInto('things')
    .values(
      [...Array(ROWS).keys()].map((i) => ({
        at: sql<Date>`${TIMES[(i * 7) % TIMES.length]!}::timestamptz`,
        // Names tie too (three each), and the bigints pass 2^53, where a JSON number would lose them.
        name: `name-${Math.floor(i / 3)}`,
        n: (i * 11) % 50,
        big: sql<string>`${String(9_007_199_254_740_993n + BigInt(i % 4))}::bigint`,
        open: i % 3 !== 0,
      })),
    )
    .execute();
});
afterAll(() => db?.destroy());

const everything = () => db.selectFrom('things').selectAll();

/** Every page, `limit` at a time, following nextCursor: each page's ids, and the cursors handed out. */
async function allPages(order: 'asc' | 'desc', keys: readonly KeyPart<Things, 'things'>[], limit: number) {
  const pages: string[][] = [];
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await keysetPage(everything(), { limit, cursor }, { order, keys, item: (row) => row });
    for (const row of page.items) expect(Object.keys(row).sort()).toEqual(['at', 'big', 'id', 'n', 'name', 'open']);
    pages.push(page.items.map((row) => row.id));
    cursor = page.nextCursor ?? undefined;
    if (cursor) cursors.push(cursor);
    expect(pages.length).toBeLessThan(50);
  } while (cursor);
  return { pages, cursors };
}

/** The ids in the order of one long query, sorted by `orderBy` (an SQL list). */
const oneQuery = async (orderBy: string) =>
  (await sql<{ id: string }>`select id from things order by ${sql.raw(orderBy)}`.execute(db)).rows.map((r) => r.id);

const decoded = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];

const openFirst = sql<number>`case when open then 0 else 1 end`;

describe('keysetPage', () => {
  it.each(['asc', 'desc'] as const)('pages by time and id %s across ties, each row once', async (order) => {
    const { pages, cursors } = await allPages(
      order,
      [
        ['at', 'time'],
        ['id', 'uuid'],
      ],
      4,
    );
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(pages.flat()).toEqual(await oneQuery(`at ${order}, id ${order}`));
    // The cursor is the last row's [at::text, id], as before this helper: cursors given out earlier still resume.
    const lastOfFirst = pages[0]!.at(-1)!;
    const { rows } = await sql<{ at: string }>`select at::text as at from things where id = ${lastOfFirst}`.execute(db);
    expect(decoded(cursors[0]!)).toEqual([rows[0]!.at, lastOfFirst]);
    const resumed = await keysetPage(
      everything(),
      { limit: 4, cursor: encodeCursor([rows[0]!.at, lastOfFirst]) },
      {
        order,
        keys: [
          ['at', 'time'],
          ['id', 'uuid'],
        ],
        item: (row) => row.id,
      },
    );
    expect(resumed.items).toEqual(pages[1]);
  });

  it('pages by one int column newest first, and by text and id with ties on the text', async () => {
    const byN = await allPages('desc', [['n', 'int']], 5);
    expect(byN.pages.flat()).toEqual(await oneQuery('n desc'));
    expect(decoded(byN.cursors[0]!)).toEqual([expect.any(Number)]);
    const byName = await allPages(
      'asc',
      [
        ['name', 'text'],
        ['id', 'uuid'],
      ],
      2,
    );
    expect(byName.pages.flat()).toEqual(await oneQuery('name, id'));
  });

  it('pages by an expression, a time and an id (the task inbox key), and by a bigint past 2^53', async () => {
    const inbox = await allPages(
      'asc',
      [
        [openFirst, 'int'],
        ['at', 'time'],
        ['id', 'uuid'],
      ],
      3,
    );
    expect(inbox.pages.flat()).toEqual(await oneQuery('case when open then 0 else 1 end, at, id'));
    const byBig = await allPages(
      'desc',
      [
        ['big', 'bigint'],
        ['id', 'uuid'],
      ],
      4,
    );
    expect(byBig.pages.flat()).toEqual(await oneQuery('big desc, id desc'));
    expect(decoded(byBig.cursors[0]!)[0]).toMatch(/^900719925474099[3-6]$/);
  });

  it('keeps the caller’s filters, and answers no cursor on a last page that is full', async () => {
    const query = everything().where('open', '=', true);
    const keys = [['n', 'int']] as const;
    const open = await keysetPage(query, { limit: 100 }, { order: 'asc', keys, item: (row) => row.open });
    expect(open.items).toHaveLength(15);
    expect(open.items.every(Boolean)).toBe(true);
    const exact = await keysetPage(query, { limit: 15 }, { order: 'asc', keys, item: (row) => row.n });
    expect(exact.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give out with invalid_cursor, before any SQL sees it', async () => {
    const keys: readonly KeyPart<Things, 'things'>[] = [
      ['at', 'time'],
      ['big', 'bigint'],
      ['name', 'text'],
    ];
    const at = '2026-03-02 09:00:00.123456+00';
    const forged = [
      'not a cursor',
      Buffer.from('{"at":1}').toString('base64url'),
      encodeCursor([at, '1']),
      encodeCursor([at, '1', 'x', 'y']),
      encodeCursor([1700000000, '1', 'x']),
      encodeCursor(['2026-02-30 09:00:00+00', '1', 'x']),
      encodeCursor(['yesterday', '1', 'x']),
      encodeCursor([at, '1; drop table things', 'x']),
      encodeCursor([at, '99999999999999999999', 'x']),
      encodeCursor([at, 1, 'x']),
      encodeCursor([at, '1', 'nul\u0000byte']),
      encodeCursor([at, '1', 'x'.repeat(1001)]),
    ];
    for (const cursor of forged) {
      await expect(
        keysetPage(everything(), { limit: 3, cursor }, { order: 'asc', keys, item: (row) => row }),
        cursor,
      ).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_cursor' });
    }
    const uuidKey = [['id', 'uuid']] as const;
    await expect(
      keysetPage(
        everything(),
        { limit: 3, cursor: encodeCursor(['not-a-uuid']) },
        { order: 'desc', keys: uuidKey, item: (r) => r },
      ),
    ).rejects.toMatchObject({ code: 'invalid_cursor' });
    // A well-formed key is taken as it stands, at the edges of what Postgres accepts (a leap day, a −15:59 offset).
    const edge = encodeCursor(['2028-02-29 23:59:59.999999-15:59', '1', 'x']);
    const past = await keysetPage(everything(), { limit: 3, cursor: edge }, { order: 'asc', keys, item: (r) => r });
    expect(past).toEqual({ items: [], nextCursor: null });
    expect((await everything().execute()).length).toBe(ROWS);
  });
});
