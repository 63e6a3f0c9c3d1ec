import { z } from 'zod';
import { EnrollmentAccount } from '../playbook/enrollment.js';

export const ScriptedEvent = z.object({
  event: z.string().min(1),
  at: z.iso.datetime({ offset: true }).optional(),
  afterHours: z.number().min(0).optional(),
  data: z.record(z.string(), z.json()).optional(),
});
export const ScriptedApproval = z.object({
  nodeId: z.string().min(1),
  decision: z.enum(['approved', 'rejected']),
  afterHours: z.number().min(0).optional(),
});

export const ScriptedFailure = z.object({
  nodeId: z.string().min(1),
  status: z.enum(['failed', 'skipped']).default('failed'),
  detail: z.string().max(500).default('simulated delivery failure'),
});

export const SimulationRequest = z
  .object({
    account: EnrollmentAccount.default({ id: 'sample-account', timeZone: 'UTC', fields: {} }),
    startAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'When the simulated enrollment happens; default now.' }),
    events: z.array(ScriptedEvent).max(500).default([]),
    approvals: z.array(ScriptedApproval).max(100).default([]),
    failures: z
      .array(ScriptedFailure)
      .max(100)
      .default([])
      .meta({ description: 'Deliveries (email, webhook, notify) to preview as failed or skipped, e.g. a bounce.' }),
  })
  .meta({ id: 'SimulationRequest' });
export type SimulationRequest = z.infer<typeof SimulationRequest>;

export const TimelineEntry = z
  .object({
    at: z.string(),
    day: z.number(),
    nodeId: z.string(),
    kind: z.string(),
    summary: z.string(),
    why: z.string(),
  })
  .meta({ id: 'TimelineEntry' });
