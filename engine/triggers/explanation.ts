import { z } from 'zod';
import { CatchUpPolicy } from '../playbook/enrollment.js';
import { EnrollmentPolicy } from '../playbook/schema.js';
import { Trigger } from '../playbook/triggers.js';

// Why an account is or is not enrolled in a playbook, as the API answers it (GET /api/accounts/:id/enrollment).

const HoldsNow = z.boolean().nullable().meta({ description: 'null: it cannot hold "now" (an event has to arrive).' });

export const EnrollmentExplanation = z
  .object({
    accountId: z.string(),
    playbook: z.object({
      key: z.string(),
      name: z.string(),
      published: z.boolean().meta({ description: 'Has a current version and is not archived: it can enroll.' }),
      archived: z.boolean(),
      version: z.number().nullable(),
      enrollment: EnrollmentPolicy.nullable(),
    }),
    enrolled: z.boolean().meta({ description: 'A run of this playbook for the account is going now.' }),
    summary: z.array(z.string()).meta({ description: 'The explanation in sentences, most important first.' }),
    decisions: z
      .array(
        z.object({
          at: z.string(),
          playbookKey: z.string(),
          reason: z
            .string()
            .meta({ description: 'Which trigger matched, e.g. "risk level entered high (was none)…".' }),
          started: z.boolean(),
          detail: z.string().meta({ description: 'The run it started, or why it was refused.' }),
          eventSeq: z.number().optional(),
        }),
      )
      .meta({ description: 'What the account’s workflow decided about this playbook (its recent log), oldest first.' }),
    runs: z.array(
      z.object({
        workflowId: z.string(),
        version: z.number().nullable(),
        status: z.string(),
        startedAt: z.string(),
        closedAt: z.string().nullable(),
        reason: z
          .string()
          .nullable()
          .meta({ description: 'Recorded by the run when it started (version; trigger; score, level, scorecard).' }),
      }),
    ),
    now: z.object({
      at: z.string(),
      riskLevel: z.string().nullable(),
      riskScore: z.number().nullable(),
      triggers: z.array(z.object({ trigger: Trigger, holdsNow: HoldsNow, why: z.string() })),
      policy: z
        .object({ holdsNow: HoldsNow, why: z.string(), until: z.string().optional() })
        .nullable()
        .meta({ description: 'Whether the enrollment policy would let the account in now; null when unpublished.' }),
      catchUp: z
        .object({ policy: CatchUpPolicy, holdsNow: HoldsNow, why: z.string(), enterAt: z.string().optional() })
        .nullable()
        .optional()
        .meta({
          description:
            'For a playbook timed from a date: where an account enrolling today enters (its first step, a later one when it is late) or why it is refused.',
        }),
      exits: z.array(z.object({ label: z.string(), kind: z.string(), holdsNow: HoldsNow, why: z.string() })),
    }),
  })
  .meta({ id: 'EnrollmentExplanation' });
export type EnrollmentExplanation = z.infer<typeof EnrollmentExplanation>;
