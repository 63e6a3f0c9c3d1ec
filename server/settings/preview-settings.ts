import type { Client } from '@temporalio/client';
import { capPeriodMs } from '../../engine/governance/decide.js';
import type { PreviewGovernance } from '../../engine/governance/preview.js';
import type { RunSettings } from '../../engine/interpreter/types.js';
import type { AssignmentDirectory } from '../../engine/playbook/assign-owner.js';
import { assignmentPreviewDirectory } from '../assignment/directory.js';
import type { Db } from '../db/database.js';
import { isUuid } from '../db/uuid.js';
import { recentSendsTo, type FrequencyCap } from '../email/frequency-cap.js';
import { rescueOpen } from './rescue.js';
import { governanceSettings, runSettingsFor } from './run-settings.js';

// What the preview (POST /api/playbooks/:id/simulate) takes from the install's settings: the account's calendar and
// send window, resolved by the same function enrollment uses, and contact governance as the sender applies it —
// for a stored account, with the emails its primary contact already got and whether a rescue is open for it.

export interface PreviewSettings {
  settings?: Partial<RunSettings>;
  governance: PreviewGovernance;
  /** The install's CSMs and teams, and the stored account's owner, for assignOwner steps. */
  people?: AssignmentDirectory;
}

export async function previewSettingsFor(
  deps: { db: Db; temporal?: Client; envCap: FrequencyCap | undefined },
  playbookKey: string,
  request: {
    account: { id: string; fields: Readonly<Record<string, unknown>> };
    startAt?: string;
    /** Parts the request sets itself (a what-if); they win over the stored ones. */
    settings?: Partial<RunSettings>;
  },
): Promise<PreviewSettings> {
  const startAt = request.startAt ? new Date(request.startAt) : new Date();
  const stored = await runSettingsFor(deps.db, request.account, startAt);
  const { value: rules } = await governanceSettings(deps.db, deps.envCap);
  const governance: PreviewGovernance = { rules, playbookKey };
  if (isUuid(request.account.id)) {
    const primary = await deps.db
      .selectFrom('contacts')
      .select('email')
      .where('account_id', '=', request.account.id)
      .where('is_primary', '=', true)
      .executeTakeFirst();
    if (primary && rules.frequencyCap) {
      governance.sent = await recentSendsTo(
        deps.db,
        primary.email,
        new Date(startAt.getTime() - capPeriodMs(rules.frequencyCap)),
      );
    }
    // Visibility unreachable: the preview still answers, without the quiet period.
    governance.rescueOpen = await rescueOpen(deps.temporal, rules, request.account.id).catch(() => false);
  }
  const people = await assignmentPreviewDirectory(deps.db, request.account.id);
  return { settings: { ...stored, ...request.settings }, governance, people };
}
