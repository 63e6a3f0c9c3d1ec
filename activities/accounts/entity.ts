import type { AccountEntityActivities } from '../../engine/activity-contracts.js';
import { accountFieldsAsOf } from '../../server/accounts/condition-fields.js';
import type { Db } from '../../server/db/database.js';
import { appliedSeq, saveAppliedSeq } from '../../server/events/cursors.js';
import { eventsAfter } from '../../server/events/store.js';
import { scoreAndRecord } from '../../server/health/service.js';
import { activeRunsOf, type EnrollContext } from '../../server/playbooks/runs.js';
import { publishedPlaybooks, publishedPlaybooksSince } from '../../server/playbooks/store.js';
import { enrollOnTrigger } from '../../server/playbooks/trigger-enroll.js';

/**
 * The account entity workflow's activities: each one call into the domain. They read, score and enroll; the order
 * of things and every decision (which trigger matched, which rescue is superseded) stay in the workflow.
 */
export function accountEntityActivities(deps: { db: Db } & EnrollContext): AccountEntityActivities {
  const { db } = deps;
  return {
    accountFields: ({ accountId, asOf }) => accountFieldsAsOf(db, accountId, asOf),

    async accountEventsAfter({ accountId, afterSeq, limit }) {
      const from = afterSeq ?? (await appliedSeq(db, accountId));
      const events = await eventsAfter(db, accountId, from, limit);
      return {
        afterSeq: from,
        events: events.map((e) => ({ seq: Number(e.seq), name: e.name, occurredAt: e.occurredAt, data: e.data })),
      };
    },

    saveAppliedSeq: ({ accountId, seq }) => saveAppliedSeq(db, accountId, seq),

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

    publishedPlaybooks: () => publishedPlaybooks(db),

    publishedPlaybooksSince: ({ stamp }) => publishedPlaybooksSince(db, stamp),

    enrollAccount: ({ accountId, playbookKey, reason, trigger }) =>
      enrollOnTrigger(deps, accountId, playbookKey, reason, trigger),

    accountRuns: ({ accountId }) => activeRunsOf(deps, accountId),
  };
}
