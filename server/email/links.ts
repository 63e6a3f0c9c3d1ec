import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

// Links in playbook emails that come back to Stayflow: the one-click unsubscribe (`/u/:token`), tracked clicks
// (`/r/:token`) and the optional open pixel (`/o/:token`). Each token is its payload as a JWT signed with HS256
// under the link secret (jose), so nobody can unsubscribe another contact or turn Stayflow into an open redirect by
// editing a link. The tokens carry no expiry: an unsubscribe link must keep working as long as the email is kept.

export type LinkPayload = { k: 'u'; a: string; c: string } | { k: 'r'; o: string; u: string } | { k: 'o'; o: string };

const key = (secret: string) => new TextEncoder().encode(secret);

export function signLink(secret: string, payload: LinkPayload): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(key(secret));
}

/** The payload of a token this install signed, of the kind asked for; undefined for anything else. */
export async function verifyLink<K extends LinkPayload['k']>(
  secret: string,
  token: string,
  kind: K,
): Promise<Extract<LinkPayload, { k: K }> | undefined> {
  const payload = token.split('.').length === 2 ? legacyPayload(secret, token) : await jwtPayload(secret, token);
  return payload?.k === kind ? (payload as Extract<LinkPayload, { k: K }>) : undefined;
}

async function jwtPayload(secret: string, token: string): Promise<LinkPayload | undefined> {
  try {
    return (await jwtVerify<LinkPayload>(token, key(secret), { algorithms: ['HS256'] })).payload;
  } catch {
    return undefined; // tampered, signed under another secret, or not a token at all
  }
}

// Emails sent before the switch to JWTs carry `<base64url JSON>.<base64url HMAC-SHA256, first 18 bytes>`. Those
// emails stay in inboxes and their unsubscribe links must keep working (CAN-SPAM, RFC 8058), so this format is still
// read; nothing signs it any more.
function legacyPayload(secret: string, token: string): LinkPayload | undefined {
  const [body, sig] = token.split('.') as [string, string];
  const expected = Buffer.from(
    createHmac('sha256', secret).update(body).digest().subarray(0, 18).toString('base64url'),
  );
  const given = Buffer.from(sig);
  if (!body || expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkPayload;
  } catch {
    return undefined;
  }
}

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, '');

export const unsubscribeUrl = async (publicUrl: string, secret: string, accountId: string, contactId: string) =>
  `${base(publicUrl)}/u/${await signLink(secret, { k: 'u', a: accountId, c: contactId })}`;

export const openPixelUrl = async (publicUrl: string, secret: string, outboxId: string) =>
  `${base(publicUrl)}/o/${await signLink(secret, { k: 'o', o: outboxId })}`;

// markdown-it writes hrefs with &amp; and &quot;; the redirect must go to the URL the template meant.
const decodeHref = (href: string) =>
  href.replace(
    /&(amp|quot|#39|lt|gt);/g,
    (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]!,
  );

const WEB_HREF = /href="(https?:\/\/[^"]*)"/g;

/**
 * Points every web link of the HTML at a signed redirect that records the click. The unsubscribe link is left as
 * it is: a person leaving must reach the page they asked for, and a click on it is not interest.
 */
export async function trackLinks(
  html: string,
  opts: { publicUrl: string; secret: string; outboxId: string; keep: readonly string[] },
): Promise<string> {
  // Signing is asynchronous (Web Crypto): sign every link first, then put them in place in one pass.
  const hrefs = [...html.matchAll(WEB_HREF)].map((m) => decodeHref(m[1]!));
  const tracked = await Promise.all(
    hrefs.map((url) =>
      opts.keep.includes(url)
        ? undefined
        : signLink(opts.secret, { k: 'r', o: opts.outboxId, u: url }).then((t) => `${base(opts.publicUrl)}/r/${t}`),
    ),
  );
  let i = 0;
  return html.replace(WEB_HREF, (whole) => {
    const to = tracked[i++];
    return to ? `href="${to}"` : whole;
  });
}
