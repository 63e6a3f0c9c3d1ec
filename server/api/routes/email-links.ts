import { isDomainError } from '../../errors.js';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { verifyLink } from '../../email/links.js';
import { findOutboxRow } from '../../email/outbox.js';
import { patchContact } from '../../accounts/contacts.js';
import type { AppContext } from '../../context.js';
import { recordEvents, UnknownAccountsError } from '../../events/store.js';
import { loadLinkSecret } from '../../email/link-secret.js';
import { route } from '../route.js';

// The recipient of an email opens these; the signed token in the link is the credential.
const LINK_PAGE = { public: 'opened from an email by its recipient: the signed token in the link is the credential' };

// The links inside playbook emails, used by recipients (not by API clients): the one-click unsubscribe page and
// its RFC 8058 POST, tracked clicks, and the optional open pixel. They answer pages and redirects, not JSON.

// A token is base64url text and a signature: printable ASCII. Bounded so a whole link stays well inside the 16 KB
// Node allows for a request's head, even %-encoded (a longer one was a 431 before any route saw it).
const Token = z.object({
  token: z
    .string()
    .min(1)
    .max(4000)
    .regex(/^[\x21-\x7e]+$/, { error: 'must be the token of a link from an email' }),
});

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #1f2937">
<h1 style="font-size: 1.4rem">${escapeHtml(title)}</h1>${body}</body></html>`;
}

// These pages have no scripts and post only to themselves. Helmet's default policy would also upgrade the form's
// POST to https, which breaks the unsubscribe button of an install served over plain http (local, intranet).
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
const html = (res: Response, status = 200) =>
  res.status(status).set('content-security-policy', PAGE_POLICY).type('html');

const damaged = page(
  'This link does not work',
  '<p>The link is incomplete or was changed. Open it again from the email, or reply to the email and we will take care of it.</p>',
);

// A pixel for the open tracking image: the smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export const emailLinkRoutes = (ctx: AppContext) => {
  const secret = () => loadLinkSecret(ctx.database.db, ctx.config.LINK_SECRET);
  const db = ctx.database.db;

  /** Records an email happening for the account and tells its workflow; a failed hand-off never blocks the reader. */
  async function recordEmailEvent(req: Request, outboxId: string, name: string, data: Record<string, unknown>) {
    const row = await findOutboxRow(db, outboxId);
    if (!row) return;
    const event = {
      ...data,
      template: row.template_key,
      nodeId: row.node_id,
      workflowId: row.workflow_id,
      recipient: row.recipient,
    };
    try {
      await recordEvents(db, [{ accountId: row.account_id, name, occurredAt: new Date(), data: event }]);
      await ctx.events?.onAccepted([row.account_id]);
    } catch (error) {
      // The account was deleted since (its events go with it), or the engine is unreachable: the click still goes on.
      if (!(error instanceof UnknownAccountsError)) req.log.warn({ err: error }, `could not record ${name}`);
    }
  }

  const unsubscribe = async (req: Request, token: string, confirm: boolean) => {
    const res = req.res!;
    const link = await verifyLink(await secret(), token, 'u');
    if (!link) return void html(res, 400).send(damaged);
    if (!confirm) {
      const action = `/u/${encodeURIComponent(token)}`;
      return void html(res).send(
        page(
          'Unsubscribe from these emails?',
          `<p>You will stop receiving emails about your account from these playbooks.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit" name="List-Unsubscribe" value="One-Click"
style="font-size: 1rem; padding: .6rem 1.2rem; cursor: pointer">Unsubscribe</button></form>`,
        ),
      );
    }
    try {
      await patchContact(db, link.a, link.c, { unsubscribed: true });
    } catch (error) {
      // A contact or account deleted since: nobody is written to any more, which is what was asked.
      if (!isDomainError(error, 'not_found')) throw error;
    }
    html(res).send(page('You are unsubscribed', '<p>You will not receive these emails any more.</p>'));
  };

  return [
    route({
      method: 'get',
      path: '/u/:token',
      tag: 'email',
      access: LINK_PAGE,
      summary: 'The unsubscribe page of an email (an HTML page with a confirm button); 400 page for a damaged link.',
      operationId: 'showUnsubscribePage',
      produces: { contentType: 'text/html', htmlErrors: [400] },
      params: Token,
      response: z.string().meta({ description: 'An HTML page.' }),
      async handler({ params, req }) {
        await unsubscribe(req, params.token, false);
      },
    }),
    route({
      method: 'post',
      path: '/u/:token',
      tag: 'email',
      access: LINK_PAGE,
      summary: 'Unsubscribes the contact: the page’s button, and mail clients’ one-click POST (RFC 8058).',
      operationId: 'unsubscribe',
      produces: { contentType: 'text/html', htmlErrors: [400] },
      params: Token,
      response: z.string().meta({ description: 'An HTML page.' }),
      async handler({ params, req }) {
        await unsubscribe(req, params.token, true);
      },
    }),
    route({
      method: 'get',
      path: '/r/:token',
      tag: 'email',
      access: LINK_PAGE,
      summary: 'A tracked link of an email: records email.clicked for the account and redirects (302) to the URL.',
      operationId: 'followTrackedLink',
      produces: { redirect: true, htmlErrors: [400] },
      params: Token,
      status: 302,
      response: z.string().meta({ description: 'Redirect to the link’s address.' }),
      async handler({ params, req, res }) {
        const link = await verifyLink(await secret(), params.token, 'r');
        if (!link) return void html(res, 400).send(damaged);
        await recordEmailEvent(req, link.o, 'email.clicked', { url: link.u });
        res.redirect(302, link.u);
      },
    }),
    route({
      method: 'get',
      path: '/o/:token',
      tag: 'email',
      access: LINK_PAGE,
      summary: 'The open-tracking pixel (only in emails when MAIL_OPEN_TRACKING is on): records email.opened.',
      operationId: 'trackOpen',
      produces: { contentType: 'image/gif' },
      params: Token,
      response: z.string().meta({ description: 'A 1×1 transparent GIF.' }),
      async handler({ params, req, res }) {
        const link = await verifyLink(await secret(), params.token, 'o');
        if (link) await recordEmailEvent(req, link.o, 'email.opened', {});
        res.set('cache-control', 'no-store').type('gif').send(PIXEL);
      },
    }),
  ];
};
