import type { PlaybookActivities, StayflowActivities } from '../engine/activity-contracts.js';
import type { Db } from '../server/db/database.js';
import { systemEmailActivities } from './email/system-email.js';
import type { MailTransport } from './email/transport.js';
import { playbookActivities } from './playbook/perform-effect.js';

export interface ActivityDeps {
  db: Db;
  transport: MailTransport;
  mailFrom: string;
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps): StayflowActivities & PlaybookActivities {
  return {
    ...systemEmailActivities({ transport: deps.transport, from: deps.mailFrom }),
    ...playbookActivities({ db: deps.db }),
  };
}
