import { z } from 'zod';
import { CaughtMail, Delivery, DeliveryMessage, OutboxState } from '../../../engine/email/outbox.js';
import { IsoDate } from '../../../engine/accounts/schema.js';
import type { AppContext } from '../../context.js';
import { findOutboxRow, listOutboxRows, type OutboxRow } from '../../email/outbox.js';
import { resendUncertain } from '../../email/resend.js';
import { pageCaughtMail, toCaughtMail } from '../../email/smtp-catcher.js';
import { notFound } from '../../errors.js';
import { route } from '../route.js';
import { CursorParam, NextCursor } from '../paging.js';
import { accountOwners, deliveryOwners, requireFilter, runOwners } from '../../auth/ownership.js';
import { ACCOUNT_TEAM, DESIGNERS, EVERYONE } from '../roles.js';

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
  cursor: CursorParam,
});

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
  from: IsoDate.optional().meta({ description: 'Made on or after this day (UTC).' }),
  to: IsoDate.optional().meta({ description: 'Made on or before this day (UTC).' }),
  owner: z.string().trim().min(1).max(254).optional().meta({ description: 'Of accounts this CSM owns (email).' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: CursorParam,
});

const DeliveryId = z.object({ id: z.uuid({ message: 'must be an email id (a UUID)' }) });

export const outboxRoutes = (ctx: AppContext) => {
  const ownDelivery = {
    what: "the email's account",
    of: async ({ params }: { params: { id: string } }) => [await deliveryOwners(ctx.database.db, params.id)],
  };
  return [
    // Before /api/outbox/:id, which would otherwise take "deliveries" for a message id.
    route({
      method: 'get',
      path: '/api/outbox/deliveries',
      tag: 'email',
      access: {
        roles: EVERYONE,
        scope: 'read',
        owner: {
          what: 'the account (?accountId=) or run (?workflowId=)',
          of: async ({ query }) =>
            query.accountId
              ? [await accountOwners(ctx.database.db, query.accountId)]
              : query.workflowId
                ? [await runOwners(ctx.database.db, query.workflowId)]
                : query.owner
                  ? [{ csms: [query.owner.toLowerCase()], manager: null }]
                  : requireFilter(
                      'the emails of one account, run or owner of theirs: ?accountId=, ?workflowId= or ?owner=',
                    ),
        },
      },
      summary: 'Playbook emails and where each stands (queued, sent, failed, skipped, uncertain), newest first.',
      query: DeliveriesQuery,
      response: z.object({ items: z.array(Delivery), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query }) {
        const page = await listOutboxRows(ctx.database.db, query);
        return { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'get',
      path: '/api/outbox/deliveries/:id',
      tag: 'email',
      access: { roles: EVERYONE, scope: 'read', owner: ownDelivery },
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
      access: { roles: ACCOUNT_TEAM, scope: 'runs:write', owner: ownDelivery },
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
      access: { roles: DESIGNERS, scope: 'read' },
      summary: 'Mail received by the in-process SMTP server, newest first.',
      query: ListQuery,
      response: z.object({ items: z.array(MailSummary), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query }) {
        const page = await pageCaughtMail(ctx.database.db, { to: query.to }, query);
        return {
          items: page.items.map(({ text: _t, html: _h, headers: _hd, ...summary }) => ({
            ...summary,
            receivedAt: summary.receivedAt.toISOString(),
          })),
          nextCursor: page.nextCursor,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/outbox/:id',
      tag: 'email',
      access: { roles: DESIGNERS, scope: 'read' },
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
};
