import { createHmac, timingSafeEqual } from 'node:crypto';

// Links in playbook emails that come back to Stayflow: the one-click unsubscribe (`/u/:token`), tracked clicks
// (`/r/:token`) and the optional open pixel (`/o/:token`). Each token is its payload signed with HMAC-SHA256, so
// nobody can unsubscribe another contact or turn Stayflow into an open redirect by editing a link.

export type LinkPayload = { k: 'u'; a: string; c: string } | { k: 'r'; o: string; u: string } | { k: 'o'; o: string };

const signature = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest().subarray(0, 18).toString('base64url');

export function signLink(secret: string, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${signature(secret, body)}`;
}

/** The payload of a token this install signed, of the kind asked for; undefined for anything else. */
export function verifyLink<K extends LinkPayload['k']>(
  secret: string,
  token: string,
  kind: K,
): Extract<LinkPayload, { k: K }> | undefined {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return undefined;
  const expected = Buffer.from(signature(secret, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkPayload;
    return payload.k === kind ? (payload as Extract<LinkPayload, { k: K }>) : undefined;
  } catch {
    return undefined;
  }
}

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, '');

export const unsubscribeUrl = (publicUrl: string, secret: string, accountId: string, contactId: string) =>
  `${base(publicUrl)}/u/${signLink(secret, { k: 'u', a: accountId, c: contactId })}`;

export const openPixelUrl = (publicUrl: string, secret: string, outboxId: string) =>
  `${base(publicUrl)}/o/${signLink(secret, { k: 'o', o: outboxId })}`;

// markdown-it writes hrefs with &amp; and &quot;; the redirect must go to the URL the template meant.
const decodeHref = (href: string) =>
  href.replace(
    /&(amp|quot|#39|lt|gt);/g,
    (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]!,
  );

/**
 * Points every web link of the HTML at a signed redirect that records the click. The unsubscribe link is left as
 * it is: a person leaving must reach the page they asked for, and a click on it is not interest.
 */
export function trackLinks(
  html: string,
  opts: { publicUrl: string; secret: string; outboxId: string; keep: readonly string[] },
): string {
  return html.replace(/href="(https?:\/\/[^"]*)"/g, (whole, href: string) => {
    const url = decodeHref(href);
    if (opts.keep.includes(url)) return whole;
    return `href="${base(opts.publicUrl)}/r/${signLink(opts.secret, { k: 'r', o: opts.outboxId, u: url })}"`;
  });
}
