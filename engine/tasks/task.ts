import { z } from 'zod';

// A CSM task a playbook step made, as the API answers it (GET /api/tasks).

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
export type CsmTask = z.infer<typeof CsmTask>;
