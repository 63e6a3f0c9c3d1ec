import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { findTask, listTasks, setTaskStatus } from '../../tasks/store.js';
import { route } from '../route.js';

export const CsmTask = z
  .object({
    id: z.uuid(),
    status: z.enum(['open', 'done', 'dismissed']),
    overdue: z.boolean().meta({ description: 'Open and past its due time.' }),
    kind: z.enum(['call', 'meeting', 'review', 'other']),
    title: z.string(),
    instructions: z.string(),
    dueAt: z.iso.datetime(),
    assignee: z.object({
      role: z.enum(['ownerCsm', 'csmManager']),
      email: z.string().nullable(),
      note: z.string().nullable().meta({ description: 'Why the task is unassigned, when it is.' }),
    }),
    account: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
    playbook: z.object({ key: z.string(), name: z.string(), version: z.number() }).nullable(),
    run: z.object({
      workflowId: z.string(),
      runId: z.string(),
      nodeId: z.string(),
      url: z.string().meta({ description: 'The run that made the task, in this API.' }),
    }),
    completedAt: z.iso.datetime().nullable(),
    note: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CsmTask' });

const TaskRef = z.object({ id: z.uuid({ error: 'must be a task id (a UUID)' }) });
const Note = z.object({
  note: z.string().trim().max(2000, { error: 'must be at most 2000 characters' }).optional(),
});

export const taskRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/tasks',
      tag: 'tasks',
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
      }),
      response: z.object({ items: z.array(CsmTask) }),
      async handler({ query }) {
        return { items: await listTasks(db, query) };
      },
    }),
    route({
      method: 'get',
      path: '/api/tasks/:id',
      tag: 'tasks',
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
