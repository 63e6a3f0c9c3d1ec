import type { Client } from '@temporalio/client';
import type { Db } from '../db/database.js';
import type { EmailSettings } from '../email/send-step.js';
import type { MailTransport } from '../email/transport.js';
import { emailDeliverer } from '../email/send-step.js';
import {
  approvalDecidedDeliverer,
  approvalEscalatedDeliverer,
  approvalRequestedDeliverer,
} from '../approvals/deliver.js';
import { notifyDeliverer } from './notify.js';
import { taskDeliverer } from './task.js';
import { updateFieldDeliverer } from './update-field.js';
import { webhookDeliverer } from './webhook.js';
import { startPlaybookDeliverer } from '../playbooks/start-playbook.js';
import { assignOwnerDeliverer } from '../assignment/deliver.js';
import type { Deliverers } from './perform.js';
import type { OutboundPolicy } from './outbound-guard.js';

export interface EffectDeps {
  db: Db;
  transport: MailTransport;
  mailFrom: string;
  /** The account workflows enroll accounts and message runs through the client, on this task queue. */
  temporal: Client;
  taskQueue: string;
  /** HMAC key of outbound webhooks' signature header; unset: they go unsigned. */
  webhookSecret?: string;
  /** Slack incoming webhook for notify steps; unset: slack notifications are skipped. */
  slackWebhookUrl?: string;
  /** Playbook email steps: links, footer, frequency cap. */
  email: EmailSettings;
  /** Where webhooks and Slack may go: OUTBOUND_ALLOW, OUTBOUND_CA_FILE (outbound-guard.ts). Unset: no exceptions. */
  outbound?: OutboundPolicy;
}

/**
 * Each effect kind's delivery, bound to the worker's dependencies. One line per kind: the modules that deliver
 * (the email outbox, CSM tasks, outbound webhooks, notifications) live beside their own stores.
 */
export function effectDeliverers(deps: EffectDeps): Deliverers {
  return {
    email: emailDeliverer({ ...deps, from: deps.mailFrom, settings: deps.email }),
    task: taskDeliverer({ db: deps.db, notify: { ...deps, publicUrl: deps.email.publicUrl } }),
    approval: approvalRequestedDeliverer({
      ...deps,
      publicUrl: deps.email.publicUrl,
      company: deps.email.company,
      postalAddress: deps.email.postalAddress,
    }),
    approvalEscalation: approvalEscalatedDeliverer({ ...deps, publicUrl: deps.email.publicUrl }),
    approvalDecision: approvalDecidedDeliverer(deps),
    webhook: webhookDeliverer({ db: deps.db, secret: deps.webhookSecret, outbound: deps.outbound }),
    notify: notifyDeliverer(deps),
    updateField: updateFieldDeliverer(deps),
    startPlaybook: startPlaybookDeliverer(deps),
    assignOwner: assignOwnerDeliverer(deps),
  };
}
