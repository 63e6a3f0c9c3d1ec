import { z } from 'zod';

// Email as the API answers it: the playbook emails of the outbox with their state (GET /api/outbox/deliveries),
// and the mail the in-process SMTP server caught (GET /api/outbox).

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
export type CaughtMail = z.infer<typeof CaughtMail>;

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
export type Delivery = z.infer<typeof Delivery>;
export type DeliveryMessage = z.infer<typeof DeliveryMessage>;
