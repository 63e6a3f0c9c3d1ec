import type { Migration } from 'kysely';
import * as m0001 from './0001_caught_mail.js';
import * as m0002 from './0002_playbooks.js';
import * as m0003 from './0003_accounts.js';
import * as m0004 from './0004_email_templates.js';
import * as m0005 from './0005_events_health.js';
import * as m0006 from './0006_account_cursors.js';
import * as m0007 from './0007_email_outbox.js';
import * as m0008 from './0008_csm_tasks.js';
import * as m0009 from './0009_csm_profiles.js';
import * as m0010 from './0010_users.js';
import * as m0011 from './0011_approvals.js';
import * as m0012 from './0012_version_notes.js';
import * as m0013 from './0013_settings.js';
import * as m0014 from './0014_referrals.js';
import * as m0015 from './0015_owner_assignment.js';

// Listed in code (not read from disk) so the same migrations run from source, a bundle or a container image.
// Names sort in the order they apply; never rename or edit one that has shipped: add the next.
export const migrations: Record<string, Migration> = {
  '0001_caught_mail': m0001,
  '0002_playbooks': m0002,
  '0003_accounts': m0003,
  '0004_email_templates': m0004,
  '0005_events_health': m0005,
  '0006_account_cursors': m0006,
  '0007_email_outbox': m0007,
  '0008_csm_tasks': m0008,
  '0009_csm_profiles': m0009,
  '0010_users': m0010,
  '0011_approvals': m0011,
  '0012_version_notes': m0012,
  '0013_settings': m0013,
  '0014_referrals': m0014,
  '0015_owner_assignment': m0015,
};
