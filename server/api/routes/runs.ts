import { z } from 'zod';
import { RunDetail, RunListItem } from '../../../engine/runs/summary.js';
import type { AppContext } from '../../context.js';
import { RunListStatus } from '../../../engine/dashboard/schema.js';
import { VersionParam } from '../../../engine/playbook/version-number.js';
import { searchRuns } from '../../playbooks/run-search.js';
import { bulkAction, cancelRun, runDetail } from '../../playbooks/runs.js';
import { route } from '../route.js';
import { CursorParam, NextCursor } from '../paging.js';
import { accountOwners, requireFilter, runOwners } from '../../auth/ownership.js';
import { ACCOUNT_TEAM, EVERYONE } from '../roles.js';

// Filter values go into a Temporal visibility query: only characters that cannot break out of a quoted string.
const safe = z.string().regex(/^[^'"\\]{1,200}$/, { error: 'must not contain quotes or backslashes' });

const RunRef = z.object({ id: z.string().min(1).max(400) });

export const runRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  const ownRun = {
    what: "the run's account",
    of: async ({ params }: { params: { id: string } }) => [await runOwners(db, params.id)],
  };
  return [
    route({
      method: 'get',
      path: '/api/runs',
      tag: 'runs',
      access: {
        roles: EVERYONE,
        scope: 'read',
        owner: {
          what: 'the account (?account=) or owner (?owner=)',
          of: async ({ query }) =>
            query.account
              ? [await accountOwners(db, query.account)]
              : query.owner
                ? [{ csms: [query.owner.toLowerCase()], manager: null }]
                : requireFilter('runs of one account or owner of theirs: ?account=<account id> or ?owner=<email>'),
        },
      },
      summary:
        'Runs by playbook, version, account (id, or part of its name), owner CSM, step (where it stands, or a step it did) and status (running, waiting-timer, waiting-event, waiting-approval, completed, cancelled…), newest first, each with its account’s name and owner.',
      query: z.object({
        playbook: safe.optional(),
        version: VersionParam.optional(),
        account: safe.optional(),
        node: safe.optional().meta({ description: 'The step the run stands at now.' }),
        reached: safe.optional().meta({ description: 'A step the run did (one that leaves a record: email, task…).' }),
        accountName: z.string().trim().min(1).max(200).optional().meta({
          description: 'Part of the account’s name or external id (any case).',
        }),
        owner: z.string().trim().min(1).max(254).optional().meta({ description: 'The account’s owner CSM (email).' }),
        status: RunListStatus.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        cursor: CursorParam,
      }),
      response: z.object({
        items: z.array(RunListItem),
        nextCursor: NextCursor,
      }),
      errors: [400],
      async handler({ query }) {
        const { limit, cursor, ...search } = query;
        return searchRuns(ctx, search, { limit, cursor });
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:id',
      tag: 'runs',
      access: { roles: EVERYONE, scope: 'read', owner: ownRun },
      summary:
        'One run: where it stands, what it waits for until when, its step log, and a link to its history in the Temporal Web UI.',
      params: RunRef,
      response: RunDetail,
      errors: [404],
      async handler({ params }) {
        return runDetail(ctx, params.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/runs/:id/cancel',
      tag: 'runs',
      access: { roles: ACCOUNT_TEAM, scope: 'runs:write', owner: ownRun },
      summary: 'Cancels a running enrollment.',
      params: RunRef,
      status: 202,
      response: z.object({ workflowId: z.string(), cancelled: z.literal(true) }),
      errors: [404, 409, 503],
      async handler({ params }) {
        await cancelRun(ctx, params.id);
        return { workflowId: params.id, cancelled: true as const };
      },
    }),
    route({
      method: 'post',
      path: '/api/runs/bulk',
      tag: 'runs',
      access: {
        roles: ACCOUNT_TEAM,
        scope: 'runs:write',
        owner: {
          what: "every run's account",
          of: ({ body }) => Promise.all(body.workflowIds.map((id) => runOwners(db, id))),
        },
      },
      summary: "Cancels a selection of runs, or skips the wait they stand on; answers each run's outcome.",
      body: z.object({
        action: z.enum(['cancel', 'skipWait']),
        workflowIds: z.array(z.string().min(1).max(400)).min(1, { error: 'select at least one run' }).max(500),
      }),
      response: z.object({
        results: z.array(z.object({ workflowId: z.string(), ok: z.boolean(), error: z.string().nullable() })),
      }),
      errors: [503],
      async handler({ body }) {
        return { results: await bulkAction(ctx, body.action, body.workflowIds) };
      },
    }),
  ];
};
