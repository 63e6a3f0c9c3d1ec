import { DateTime } from 'luxon';
import type { AccountEntityActivities } from '../../engine/activity-contracts.js';
import type { PublishedPlaybook } from '../../engine/triggers/match.js';
import { HttpError } from '../../server/api/http-error.js';
import { accountConditionFields } from '../../server/accounts/condition-fields.js';
import type { Db } from '../../server/db/database.js';
import { eventsAfter } from '../../server/events/store.js';
import { scoreAndRecord } from '../../server/health/service.js';
import { compiledVersion, findPlaybook, listPlaybooks } from '../../server/playbooks/store.js';
import { activeRunsOf, enroll, type EnrollContext } from '../../server/playbooks/runs.js';

/**
 * The account entity workflow's activities over the app database and Temporal. They read, score and enroll; the
 * order of things and every decision (which trigger matched, which rescue is superseded) stay in the workflow.
 */
export function accountEntityActivities(deps: { db: Db } & EnrollContext): AccountEntityActivities {
  const { db } = deps;
  return {
    async accountFields({ accountId, asOf }) {
      let account;
      try {
        account = await accountConditionFields(db, accountId);
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) return undefined;
        throw error;
      }
      const at = asOf ? DateTime.fromISO(asOf) : DateTime.now();
      return { timeZone: account.timeZone, today: at.setZone(account.timeZone).toISODate()!, fields: account.fields };
    },

    async accountEventsAfter({ accountId, afterSeq, limit }) {
      const from = afterSeq ?? (await savedSeq(db, accountId));
      const events = await eventsAfter(db, accountId, from, limit);
      return {
        afterSeq: from,
        events: events.map((e) => ({ seq: Number(e.seq), name: e.name, occurredAt: e.occurredAt, data: e.data })),
      };
    },

    async saveAppliedSeq({ accountId, seq }) {
      await db
        .insertInto('account_event_cursors')
        .values({ account_id: accountId, applied_seq: seq })
        .onConflict((oc) =>
          oc.column('account_id').doUpdateSet((eb) => ({
            // Never backwards: a retried activity carrying an older seq must not undo a newer one.
            applied_seq: eb.fn('greatest', ['account_event_cursors.applied_seq', eb.ref('excluded.applied_seq')]),
          })),
        )
        .execute();
    },

    async rescoreAccount({ accountId, asOf }) {
      const result = await scoreAndRecord(db, accountId, new Date(asOf));
      const { riskScore, riskLevel, healthScore } = result.score;
      return {
        from: result.previousLevel ?? 'none',
        to: result.level,
        fields: { riskScore, riskLevel, healthScore },
        scorecardVersion: result.score.scorecardVersion,
      };
    },

    async publishedPlaybooks() {
      const published: PublishedPlaybook[] = [];
      for (const playbook of await listPlaybooks(db)) {
        if (playbook.currentVersion === null) continue;
        const ir = await compiledVersion(db, playbook);
        published.push({
          key: ir.key,
          version: ir.version,
          name: ir.name,
          triggers: ir.triggers,
          enrollment: ir.enrollment,
        });
      }
      return published;
    },

    async enrollAccount({ accountId, playbookKey, reason }) {
      try {
        const playbook = await findPlaybook(db, playbookKey);
        const ir = await compiledVersion(db, playbook);
        // With its health fields, so the run's branches and exit criteria see the score that started it.
        const run = await enroll(deps, ir, await accountConditionFields(db, accountId), reason);
        return { started: true, workflowId: run.workflowId, version: run.version };
      } catch (error) {
        // Already enrolled, cooling down, unpublished since: a decision to record, not a failure to retry.
        if (error instanceof HttpError && error.status < 500) return { started: false, reason: error.message };
        throw error;
      }
    },

    async accountRuns({ accountId }) {
      return activeRunsOf(deps, accountId);
    },
  };
}

async function savedSeq(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('account_event_cursors')
    .select('applied_seq')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? Number(row.applied_seq) : 0;
}
