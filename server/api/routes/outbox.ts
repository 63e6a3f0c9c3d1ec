import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { toCaughtMail } from '../../mail/smtp-catcher.js';
import { notFound } from '../http-error.js';
import { route } from '../route.js';

export const CaughtMail = z
  .object({
    id: z.string(),
    messageId: z.string().nullable(),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    text: z.string().nullable(),
    html: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    receivedAt: z.iso.datetime(),
  })
  .meta({ id: 'CaughtMail' });

const MailSummary = CaughtMail.pick({
  id: true,
  messageId: true,
  from: true,
  to: true,
  subject: true,
  receivedAt: true,
});

const ListQuery = z.object({
  to: z.string().optional().meta({ description: 'Only mail to this address.' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const outboxRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/outbox',
    tag: 'email',
    summary: 'Mail received by the in-process SMTP server, newest first.',
    query: ListQuery,
    response: z.object({ items: z.array(MailSummary) }),
    async handler({ query }) {
      let q = ctx.database.db.selectFrom('caught_mail').selectAll().orderBy('received_at', 'desc').limit(query.limit);
      if (query.to) q = q.where((eb) => eb(eb.val(query.to), '=', eb.fn.any('envelope_to')));
      const rows = await q.execute();
      return {
        items: rows.map((row) => {
          const { text: _t, html: _h, headers: _hd, ...summary } = toCaughtMail(row);
          return { ...summary, receivedAt: summary.receivedAt.toISOString() };
        }),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/outbox/:id',
    tag: 'email',
    summary: 'One caught message: HTML, text and headers.',
    params: z.object({ id: z.uuid({ message: 'must be a message id (a UUID)' }) }),
    response: CaughtMail,
    errors: [404],
    async handler({ params }) {
      const row = await ctx.database.db
        .selectFrom('caught_mail')
        .selectAll()
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!row) throw notFound(`Message ${params.id}`);
      const mail = toCaughtMail(row);
      return { ...mail, receivedAt: mail.receivedAt.toISOString() };
    },
  }),
];
