import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { findOutboxRow, listOutboxRows, type OutboxRow } from '../../email/outbox.js';
import { resendUncertain } from '../../email/resend.js';
import { toCaughtMail } from '../../email/smtp-catcher.js';
import { notFound } from '../../errors.js';
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

export const OutboxState = z.enum(['queued', 'sending', 'sent', 'failed', 'skipped', 'uncertain']).meta({
  description:
    'queued: about to go; sending: handed to SMTP; sent; failed: refused for good (last error says why); ' +
    'skipped: unsubscribed or over the frequency cap; uncertain: a worker stopped while sending — it may or may ' +
    'not have arrived, and only a person resends it.',
});

export const Delivery = z
  .object({
    id: z.uuid(),
    state: OutboxState,
    recipient: z.string(),
    recipientName: z.string().nullable(),
    accountId: z.string(),
    contactId: z.string().nullable(),
    workflowId: z.string(),
    runId: z.string(),
    stepKey: z.string(),
    nodeId: z.string(),
    templateKey: z.string(),
    locale: z.string().nullable(),
    subject: z.string().nullable(),
    messageId: z.string().meta({ description: 'The Message-ID header, the same on every try and resend.' }),
    smtpResponse: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Delivery' });

export const DeliveryMessage = Delivery.extend({
  html: z.string().nullable(),
  text: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
}).meta({ id: 'DeliveryMessage' });

const toDelivery = (row: OutboxRow): z.infer<typeof Delivery> => ({
  id: row.id,
  state: row.state,
  recipient: row.recipient,
  recipientName: row.recipient_name,
  accountId: row.account_id,
  contactId: row.contact_id,
  workflowId: row.workflow_id,
  runId: row.run_id,
  stepKey: row.step_key,
  nodeId: row.node_id,
  templateKey: row.template_key,
  locale: row.locale,
  subject: row.subject,
  messageId: row.message_id,
  smtpResponse: row.smtp_response,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  sentAt: row.sent_at?.toISOString() ?? null,
});

const toMessage = (row: OutboxRow): z.infer<typeof DeliveryMessage> => ({
  ...toDelivery(row),
  html: row.html,
  text: row.text,
  headers: row.headers,
});

const DeliveriesQuery = z.object({
  state: OutboxState.optional(),
  accountId: z.string().min(1).optional().meta({ description: 'Only emails of this account (its id).' }),
  workflowId: z.string().min(1).optional().meta({ description: 'Only emails of this run (its workflow id).' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const DeliveryId = z.object({ id: z.uuid({ message: 'must be an email id (a UUID)' }) });

export const outboxRoutes = (ctx: AppContext) => [
  // Before /api/outbox/:id, which would otherwise take "deliveries" for a message id.
  route({
    method: 'get',
    path: '/api/outbox/deliveries',
    tag: 'email',
    summary: 'Playbook emails and where each stands (queued, sent, failed, skipped, uncertain), newest first.',
    query: DeliveriesQuery,
    response: z.object({ items: z.array(Delivery) }),
    async handler({ query }) {
      return { items: (await listOutboxRows(ctx.database.db, query)).map(toDelivery) };
    },
  }),
  route({
    method: 'get',
    path: '/api/outbox/deliveries/:id',
    tag: 'email',
    summary: 'One playbook email as it was (or will be) sent: HTML, text and headers, with its state.',
    params: DeliveryId,
    response: DeliveryMessage,
    errors: [404],
    async handler({ params }) {
      const row = await findOutboxRow(ctx.database.db, params.id);
      if (!row) throw notFound(`Email ${params.id}`);
      return toMessage(row);
    },
  }),
  route({
    method: 'post',
    path: '/api/outbox/deliveries/:id/resend',
    tag: 'email',
    summary:
      'Sends an email whose delivery is uncertain again (same Message-ID). 409 for any other state: an email known to be sent never goes twice.',
    params: DeliveryId,
    response: DeliveryMessage,
    errors: [404, 409],
    async handler({ params }) {
      const row = await resendUncertain(
        { db: ctx.database.db, transport: ctx.mail.transport, from: ctx.config.MAIL_FROM },
        params.id,
      );
      return toMessage(row);
    },
  }),
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
