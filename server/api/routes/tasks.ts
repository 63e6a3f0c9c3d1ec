import { z } from 'zod';
import { CsmTask } from '../../../engine/tasks/task.js';
import type { AppContext } from '../../context.js';
import { findTask, pageTasks, setTaskStatus } from '../../tasks/store.js';
import { route } from '../route.js';
import { CursorParam, NextCursor } from '../paging.js';
import { taskOwners, visibleOwners } from '../../auth/ownership.js';
import { ACCOUNT_TEAM, EVERYONE } from '../roles.js';

const TaskRef = z.object({ id: z.uuid({ error: 'must be a task id (a UUID)' }) });
const Note = z.object({
  note: z.string().trim().max(2000, { error: 'must be at most 2000 characters' }).optional(),
});

export const taskRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  const ownTask = {
    what: "the task's account or assignee",
    of: async ({ params }: { params: { id: string } }) => [await taskOwners(db, params.id)],
  };
  return [
    route({
      method: 'get',
      path: '/api/tasks',
      tag: 'tasks',
      access: { roles: EVERYONE, scope: 'read', owner: { what: 'the listed tasks', narrowed: true } },
      summary:
        "A CSM's work inbox: tasks playbooks assigned, open ones first, each group by due time (the overdue lead).",
      query: z.object({
        assignee: z
          .string()
          .trim()
          .min(1)
          .max(254)
          .optional()
          .meta({ description: 'The assignee’s email (any case), or `unassigned`.' }),
        status: z.enum(['open', 'done', 'dismissed']).optional(),
        accountId: z.string().trim().min(1).max(200).optional(),
        dueBefore: z.iso
          .datetime({ offset: true, error: 'must be a date-time such as 2026-03-31T09:00:00Z' })
          .optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: CursorParam,
      }),
      response: z.object({ items: z.array(CsmTask), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query, principal }) {
        return pageTasks(db, { ...query, visible: visibleOwners(principal) });
      },
    }),
    route({
      method: 'get',
      path: '/api/tasks/:id',
      tag: 'tasks',
      access: { roles: EVERYONE, scope: 'read', owner: ownTask },
      summary: 'One task, with the account, playbook version and run it came from.',
      params: TaskRef,
      response: CsmTask,
      errors: [404],
      async handler({ params }) {
        return findTask(db, params.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/tasks/:id/complete',
      tag: 'tasks',
      access: { roles: ACCOUNT_TEAM, scope: 'tasks:write', owner: ownTask },
      summary: 'Marks an open task done, with an optional note (what came of the call).',
      params: TaskRef,
      body: Note,
      response: CsmTask,
      errors: [404, 409],
      async handler({ params, body }) {
        return setTaskStatus(db, params.id, 'done', body.note);
      },
    }),
    route({
      method: 'post',
      path: '/api/tasks/:id/dismiss',
      tag: 'tasks',
      access: { roles: ACCOUNT_TEAM, scope: 'tasks:write', owner: ownTask },
      summary: 'Dismisses an open task that is not needed, with an optional note saying why.',
      params: TaskRef,
      body: Note,
      response: CsmTask,
      errors: [404, 409],
      async handler({ params, body }) {
        return setTaskStatus(db, params.id, 'dismissed', body.note);
      },
    }),
    route({
      method: 'post',
      path: '/api/tasks/:id/reopen',
      tag: 'tasks',
      access: { roles: ACCOUNT_TEAM, scope: 'tasks:write', owner: ownTask },
      summary: 'Opens a done or dismissed task again (its note is cleared).',
      params: TaskRef,
      response: CsmTask,
      errors: [404, 409],
      async handler({ params }) {
        return setTaskStatus(db, params.id, 'open');
      },
    }),
  ];
};
