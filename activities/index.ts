import type { StayflowActivities } from '../engine/activity-contracts.js';
import { systemEmailActivities } from './email/system-email.js';
import type { MailTransport } from './email/transport.js';

export interface ActivityDeps {
  transport: MailTransport;
  mailFrom: string;
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps): StayflowActivities {
  return {
    ...systemEmailActivities({ transport: deps.transport, from: deps.mailFrom }),
  };
}
