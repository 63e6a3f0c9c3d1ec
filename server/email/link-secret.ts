import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';

// The key that signs unsubscribe and click links. LINK_SECRET when set; otherwise a random one made once and kept
// in the app database, so it survives restarts and every process of the install (API, workers) shares it — a
// secret derived from nothing would be guessable, and one per process would break links across processes.
const made = new WeakMap<object, Promise<string>>();

export function loadLinkSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return Promise.resolve(configured);
  let secret = made.get(db);
  if (!secret) {
    secret = (async () => {
      await db
        .insertInto('app_secrets')
        .values({ name: 'link_secret', value: randomBytes(32).toString('hex') })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db
        .selectFrom('app_secrets')
        .select('value')
        .where('name', '=', 'link_secret')
        .executeTakeFirstOrThrow();
      return row.value;
    })();
    secret.catch(() => made.delete(db));
    made.set(db, secret);
  }
  return secret;
}
