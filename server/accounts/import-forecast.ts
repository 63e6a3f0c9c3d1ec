import { DateTime } from 'luxon';
import type { ImportEnrollment, ImportHandOff } from '../../engine/accounts/import-report.js';
import type { AccountProperties } from '../../engine/accounts/schema.js';
import type { AccountFieldChanges } from '../../engine/activity-contracts.js';
import { matchTriggers, type PublishedPlaybook } from '../../engine/triggers/match.js';
import type { Db } from '../db/database.js';
import { latestHealthOf } from '../health/service.js';
import { publishedPlaybooks } from '../playbooks/store.js';
import { snapshotFields } from './store.js';

// What an accounts import will set in motion, told before (dry run) and after (the real import) it is handed off:
// each changed account's workflow gets a `fields` happening and matches it against the published playbooks. The
// forecast asks the same pure question with the same inputs — the published playbooks as the workflow reads them,
// the account's fields as it reads them (snapshot plus newest health score, as accountConditionFields merges them)
// and today in the account's time zone — so it can only differ by what enrollment itself decides (one run at a
// time, cooldowns, catch-up finding nothing ahead) or by what changes before the workflow gets there.

export interface ImportForecast {
  /** A written batch's changes, with each changed account as it stands after the write (id → properties). */
  add(changes: readonly AccountFieldChanges[], after: ReadonlyMap<string, AccountProperties>): Promise<void>;
  /** Accounts handed to their workflows so far. */
  readonly accounts: number;
  /** Per playbook (in the published list's order) with at least one account. */
  enrollments(): ImportEnrollment[];
}

/** Starts a forecast for an import beginning now: the published playbooks are read once. */
export async function startImportForecast(db: Db, now: Date = new Date()): Promise<ImportForecast> {
  const playbooks: PublishedPlaybook[] = await publishedPlaybooks(db);
  const tally = new Map<string, { accounts: number; example?: string }>();
  let accounts = 0;
  const at = DateTime.fromJSDate(now);
  return {
    get accounts() {
      return accounts;
    },
    async add(changes, after) {
      accounts += changes.length;
      if (playbooks.length === 0 || changes.length === 0) return;
      // A new account has no score yet; an updated one keeps its own (an import does not change it).
      const health = await latestHealthOf(
        db,
        changes.map((c) => c.accountId),
      );
      for (const { accountId, changed } of changes) {
        const account = after.get(accountId);
        if (!account) continue;
        const score = health.get(accountId);
        const fields = {
          ...snapshotFields(account),
          ...(score && { riskScore: score.riskScore, riskLevel: score.riskLevel, healthScore: score.healthScore }),
        };
        const today = at.setZone(account.timeZone).toISODate()!;
        for (const match of matchTriggers(playbooks, { kind: 'fields', changed, today }, fields)) {
          const entry = tally.get(match.playbookKey) ?? { accounts: 0 };
          entry.accounts++;
          entry.example ??= match.reason;
          tally.set(match.playbookKey, entry);
        }
      }
    },
    enrollments() {
      return playbooks.flatMap((p) => {
        const entry = tally.get(p.key);
        return entry ? [{ playbookKey: p.key, name: p.name, ...entry }] : [];
      });
    },
  };
}

/** How long handing `accounts` over takes at `perSecond` (the fan-out's pace), in whole seconds. */
export function handOffEstimate(accounts: number, perSecond: number): ImportHandOff {
  return { accounts, perSecond, estimatedSeconds: accounts === 0 ? 0 : Math.ceil(accounts / perSecond) };
}
