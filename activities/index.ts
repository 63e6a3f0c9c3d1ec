import type { Client } from '@temporalio/client';
import type {
  AccountEntityActivities,
  PlaybookActivities,
  StayflowActivities,
  SweepActivities,
} from '../engine/activity-contracts.js';
import type { Db } from '../server/db/database.js';
import { accountEntityActivities } from './accounts/entity.js';
import { sweepActivities } from './accounts/sweep.js';
import { systemEmailActivities } from './system-email.js';
import type { EmailSettings } from '../server/email/send-step.js';
import type { MailTransport } from '../server/email/transport.js';
import { effectDeliverers } from '../server/effects/deliverers.js';
import { playbookActivities } from './playbook/perform-effect.js';

export interface ActivityDeps {
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
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(
  deps: ActivityDeps,
): StayflowActivities & PlaybookActivities & AccountEntityActivities & SweepActivities {
  return {
    ...accountEntityActivities({
      db: deps.db,
      temporal: deps.temporal,
      config: { TEMPORAL_TASK_QUEUE: deps.taskQueue },
    }),
    ...sweepActivities({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue }),
    ...systemEmailActivities({ transport: deps.transport, from: deps.mailFrom }),
    ...playbookActivities({ db: deps.db, deliver: effectDeliverers(deps) }),
  };
}
