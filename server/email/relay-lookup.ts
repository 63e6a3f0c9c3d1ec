import type { Db } from '../db/database.js';

/**
 * Whether the relay holds a message, by our Message-ID: true it does, false it does not, undefined it cannot say.
 * SMTP itself has no such question; a relay that stores before it answers 250 (the in-process catcher, a provider
 * with a message search) can answer it, and then an email whose delivery was uncertain is settled without guessing.
 */
export type RelayLookup = (messageId: string) => Promise<boolean | undefined>;

/** What the row records as the SMTP answer when the relay was found to hold the email. */
export const HELD_AT_RELAY = 'found at the relay by its Message-ID';

/**
 * The in-process catcher's answer: it stores each message in `caught_mail` before it answers 250, so a message it
 * does not hold was never accepted.
 */
export function catcherLookup(db: Db): RelayLookup {
  return async (messageId) => {
    const row = await db
      .selectFrom('caught_mail')
      .select('id')
      .where('message_id', '=', messageId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  };
}

/** How long the relay's lookup may take before its answer counts as "cannot say". */
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * A relay's own message lookup over HTTP (SMTP_MESSAGE_LOOKUP_URL): GET <url>?messageId=<id> answers 200 when it
 * holds the message and 404 when it does not; anything else, or no answer in time, means it cannot say. The URL is
 * the operator's, like SMTP_URL, so it may be on a private network.
 */
export function httpRelayLookup(url: string): RelayLookup {
  return async (messageId) => {
    const target = new URL(url);
    target.searchParams.set('messageId', messageId);
    try {
      const res = await fetch(target, { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
      await res.body?.cancel();
      return res.status === 200 ? true : res.status === 404 ? false : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The lookup this install has: the embedded catcher's, the relay's own, or none. */
export function relayLookupFor(opts: { catching: boolean; db: Db; lookupUrl?: string }): RelayLookup | undefined {
  if (opts.catching) return catcherLookup(opts.db);
  return opts.lookupUrl ? httpRelayLookup(opts.lookupUrl) : undefined;
}
