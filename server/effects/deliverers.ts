import type { ActivityDeps } from '../../activities/index.js';
import { emailDeliverer } from '../email/send-step.js';
import { notifyDeliverer } from './notify.js';
import { taskDeliverer } from './task.js';
import { updateFieldDeliverer } from './update-field.js';
import { webhookDeliverer } from './webhook.js';
import type { Deliverers } from '../../activities/playbook/perform-effect.js';

/**
 * Each effect kind's delivery, bound to the worker's dependencies. One line per kind: the modules that deliver
 * (the email outbox, CSM tasks, outbound webhooks, notifications) live beside their own stores.
 */
export function effectDeliverers(deps: ActivityDeps): Deliverers {
  return {
    email: emailDeliverer({ ...deps, from: deps.mailFrom, settings: deps.email }),
    task: taskDeliverer(deps),
    webhook: webhookDeliverer({ db: deps.db, secret: deps.webhookSecret }),
    notify: notifyDeliverer(deps),
    updateField: updateFieldDeliverer(deps),
  };
}
