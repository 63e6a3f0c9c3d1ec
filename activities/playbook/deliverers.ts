import type { ActivityDeps } from '../index.js';
import type { Deliverers } from './perform-effect.js';

/**
 * Each effect kind's delivery, bound to the worker's dependencies. One line per kind: the modules that deliver
 * (the email outbox, CSM tasks, outbound webhooks, notifications) live beside their own stores.
 */
export function effectDeliverers(_deps: ActivityDeps): Deliverers {
  return {};
}
