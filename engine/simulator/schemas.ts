import { z } from 'zod';
import { EnrollmentAccount } from '../playbook/enrollment.js';
import { TimeOfDay, Weekday } from '../playbook/durations.js';
import { RunTrigger } from './run-trigger.js';

// The one definition of a scripted simulation: the simulator's input, the simulate API body and the CLI's
// options are all this schema, so each of them can script events, approvals, field changes and failures.

const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO date-time such as 2026-12-01T09:00:00Z' });
const Hours = z.number().min(0, { error: 'must be 0 or more hours' });
const LocalDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, e.g. 2026-12-25' });

/** An event the simulated account will produce, at an instant or an offset from enrollment. */
export const ScriptedEvent = z.strictObject({
  event: z.string().min(1, { error: 'must be an event name' }),
  at: Instant.optional(),
  afterHours: Hours.optional(),
  data: z.record(z.string(), z.json()).optional(),
});
export type ScriptedEvent = z.infer<typeof ScriptedEvent>;

/**
 * How a CSM will answer an approval step, how long after it is requested (past the step's timeout: the escalated
 * person decides), and the values they set. Values the run would refuse (out of bounds, not a parameter) are
 * refused in the preview too: the approval then waits on as if nobody had decided.
 */
export const ScriptedApproval = z.strictObject({
  nodeId: z.string().min(1, { error: 'must be the id of an approval step' }),
  decision: z.enum(['approved', 'rejected']),
  afterHours: Hours.optional(),
  values: z
    .record(z.string(), z.union([z.number(), z.string()]))
    .optional()
    .meta({ description: 'Edits of the step’s parameters, e.g. { "discount": 15 }; unset ones keep their default.' }),
});
export type ScriptedApproval = z.infer<typeof ScriptedApproval>;

/** A delivery the preview treats as failed for good (a bounce) or skipped (every recipient unsubscribed). */
export const ScriptedFailure = z.strictObject({
  nodeId: z.string().min(1, { error: 'must be the id of an email, webhook or notify step' }),
  status: z.enum(['failed', 'skipped']).default('failed'),
  detail: z.string().max(500).default('simulated delivery failure'),
});
export type ScriptedFailure = z.infer<typeof ScriptedFailure>;

/** A change to the account's fields while it runs: a moved renewal date, a new risk level. */
export const ScriptedChange = z.strictObject({
  at: Instant.optional(),
  afterHours: Hours.optional(),
  fields: z.record(z.string(), z.json()),
});
export type ScriptedChange = z.infer<typeof ScriptedChange>;

/** What may happen to the account during the preview; every list is optional. */
export const SimulationScript = z.strictObject({
  events: z.array(ScriptedEvent).max(500).default([]),
  approvals: z.array(ScriptedApproval).max(100).default([]),
  failures: z
    .array(ScriptedFailure)
    .max(100)
    .default([])
    .meta({ description: 'Deliveries (email, webhook, notify) to preview as failed or skipped, e.g. a bounce.' }),
  changes: z
    .array(ScriptedChange)
    .max(100)
    .default([])
    .meta({ description: 'Account field changes during the run, e.g. a moved renewal date.' }),
});
export type SimulationScript = z.infer<typeof SimulationScript>;

/** The business calendar and send window a run keeps; unset parts take the engine's defaults (weekends, Mon–Fri 09–18). */
export const RunSettingsInput = z
  .strictObject({
    calendar: z
      .strictObject({
        holidays: z.array(LocalDate).max(1000).default([]),
        weekend: z.array(Weekday).default(['sat', 'sun']),
      })
      .optional(),
    sendWindow: z
      .strictObject({ days: z.array(Weekday).min(1), from: TimeOfDay, to: TimeOfDay })
      .refine((w) => w.from < w.to, { path: ['to'], error: 'must be later than the start of the window' })
      .optional(),
  })
  .meta({ id: 'RunSettings' });

export const SimulationRequest = SimulationScript.extend({
  account: EnrollmentAccount.default({ id: 'sample-account', timeZone: 'UTC', fields: {} }),
  startAt: Instant.optional().meta({ description: 'When the simulated enrollment happens; default now.' }),
  settings: RunSettingsInput.optional(),
  trigger: RunTrigger.optional().meta({
    description: 'What enrolled the run (trigger.* in conditions); default manual.',
  }),
  horizonDays: z.number().int().min(1).max(36_500).optional().meta({
    description:
      'How many days ahead of the start the preview looks; default 1,827 (five years). A run that goes on past it ends the timeline with a "horizon" entry saying where it stands.',
  }),
}).meta({ id: 'SimulationRequest' });
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
