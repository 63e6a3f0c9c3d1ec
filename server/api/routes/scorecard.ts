import { z } from 'zod';
import { HealthRecord } from '../../../engine/health/record.js';
import { HealthRiskLevel, Scorecard } from '../../../engine/health/scorecard.js';
import { startScorecardRescore } from '../../accounts/entity-signals.js';
import { findAccount } from '../../accounts/store.js';
import type { AppContext } from '../../context.js';
import {
  accountHealth,
  currentScorecard,
  pageScorecards,
  saveScorecard,
  scoreAndRecord,
} from '../../health/service.js';
import { recordAudit } from '../../audit/log.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { ownAccount } from '../../auth/ownership.js';
import { ACCOUNT_TEAM, DESIGNERS, EVERYONE } from '../roles.js';
import { AccountRef } from './accounts.js';

const StoredScorecard = z
  .object({ version: z.number(), definition: Scorecard, createdAt: z.string() })
  .meta({ id: 'StoredScorecard' });

export const scorecardRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/scorecard',
      tag: 'health',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'The current health scorecard: its version and the risk signals with their weights and thresholds.',
      response: StoredScorecard,
      errors: [404],
      async handler() {
        return currentScorecard(db);
      },
    }),
    route({
      method: 'get',
      path: '/api/scorecard/versions',
      tag: 'health',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'Every saved scorecard, newest first: recorded scores name the version they used (scorecardVersion), this says what it was.',
      query: WholeListPage,
      response: z.object({ items: z.array(StoredScorecard), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query }) {
        return pageScorecards(db, query);
      },
    }),
    route({
      method: 'put',
      path: '/api/scorecard',
      tag: 'health',
      access: { roles: DESIGNERS, scope: 'settings:write' },
      summary:
        'Saves a scorecard as the next version. Recorded scores keep the version they used; a workflow then re-scores every account under the new one, and risk-level triggers fire where a level changed.',
      body: Scorecard,
      status: 201,
      response: StoredScorecard.extend({
        rescoreWorkflowId: z.string().nullable().meta({
          description:
            'The Temporal workflow re-scoring every account under this version; null when it could not be started (the daily sweep then re-scores them).',
        }),
      }),
      async handler({ body, req, principal }) {
        const saved = await saveScorecard(db, body);
        await recordAudit(db, {
          actor: principal!,
          action: 'scorecard.saved',
          target: { kind: 'scorecard', id: String(saved.version) },
          detail: { version: saved.version, definition: body },
        });
        let rescoreWorkflowId: string | null = null;
        try {
          rescoreWorkflowId = await startScorecardRescore(
            { temporal: ctx.temporal, taskQueue: ctx.config.TEMPORAL_TASK_QUEUE },
            saved.version,
          );
        } catch (error) {
          // The version is saved either way; answering an error would invite a retry that saves another one.
          req.log.error({ err: error }, 'scorecard saved but the re-score workflow did not start');
        }
        return { ...saved, rescoreWorkflowId };
      },
    }),
    route({
      method: 'get',
      path: '/api/accounts/:id/health',
      tag: 'health',
      access: { roles: EVERYONE, scope: 'read', owner: ownAccount(db) },
      summary:
        'An account’s health (by id or externalId): the newest score with why each signal fired, and its history.',
      params: AccountRef,
      query: z.object({ limit: z.coerce.number().int().min(1).max(365).default(30) }),
      response: z.object({
        accountId: z.string(),
        latest: HealthRecord.nullable().meta({ description: 'null until the account is first scored.' }),
        history: z.array(HealthRecord).meta({ description: 'Newest first, including the latest.' }),
      }),
      errors: [404],
      async handler({ params, query }) {
        const { id } = await findAccount(db, params.id);
        return { accountId: id, ...(await accountHealth(db, id, query.limit)) };
      },
    }),
    route({
      method: 'post',
      path: '/api/accounts/:id/health',
      tag: 'health',
      access: { roles: ACCOUNT_TEAM, scope: 'accounts:write', owner: ownAccount(db) },
      summary:
        'Scores the account now with the current scorecard and records it (also done by the engine after events and by the sweep).',
      params: AccountRef,
      status: 201,
      response: z.object({
        score: HealthRecord,
        previousLevel: HealthRiskLevel.nullable(),
        previousScore: z.number().nullable(),
        level: HealthRiskLevel,
        changed: z.boolean(),
      }),
      errors: [404],
      async handler({ params }) {
        return scoreAndRecord(db, (await findAccount(db, params.id)).id, new Date());
      },
    }),
  ];
};
