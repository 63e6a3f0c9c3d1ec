import { z } from 'zod';
import { ApprovalParameter } from '../playbook/nodes.js';

// An approval as the API answers it (GET /api/approvals): what it proposes, the account's context, the values one
// may change, who holds it until when, and how it was decided. Zod, so not for the workflow bundle (values.ts is).

/** The inbox's views: waiting on me, on my team, overdue, decided, or every open one the caller may see. */
export const InboxView = z.enum(['mine', 'team', 'overdue', 'decided', 'open']);
export type InboxView = z.infer<typeof InboxView>;

/** A value a person sets on an approval: a number (percent, number) or text. */
export const ApprovalValueSchema = z.union([z.number(), z.string().max(10_000)]);

const RenderedProposal = z
  .union([
    z.object({
      nodeId: z.string(),
      label: z.string(),
      template: z.string(),
      to: z.string(),
      subject: z.string(),
      html: z.string(),
      text: z.string(),
      locale: z.string(),
    }),
    z.object({
      nodeId: z.string(),
      label: z.string(),
      template: z.string(),
      unavailable: z.string().meta({ description: 'Why the email cannot be shown (no contact, template gone…).' }),
    }),
  ])
  .meta({ description: 'The email approving sends, rendered for its first recipient with the values as they stand.' });

export const Approval = z
  .object({
    id: z.uuid(),
    status: z.enum(['pending', 'approved', 'rejected', 'timed_out', 'withdrawn']),
    overdue: z.boolean().meta({ description: 'Pending and past its due time.' }),
    level: z.number().meta({ description: '0 with the first decider; n after the n-th escalation.' }),
    kind: z.enum(['offer', 'discount', 'message']),
    title: z.string(),
    details: z.string(),
    parameters: z.array(ApprovalParameter),
    values: z
      .record(z.string(), ApprovalValueSchema)
      .meta({ description: 'Pending: the defaults. Decided: what the steps after it read ({{ approval.<name> }}).' }),
    edits: z
      .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
      .nullable()
      .meta({ description: 'The values the decision changed from their default; null until decided.' }),
    proposal: RenderedProposal.nullable(),
    context: z
      .object({
        account: z
          .object({
            name: z.string(),
            segment: z.string().nullable(),
            plan: z.string().nullable(),
            mrr: z.number().nullable(),
            renewalDate: z.string().nullable(),
            ownerCsmEmail: z.string().nullable(),
          })
          .nullable(),
        health: z
          .object({
            healthScore: z.number(),
            riskScore: z.number(),
            riskLevel: z.string(),
            why: z.array(z.string()),
            computedAt: z.string(),
          })
          .nullable(),
        recentEvents: z.array(z.object({ name: z.string(), occurredAt: z.string() })),
      })
      .meta({ description: 'The account when the approval was asked: health, risk level and why, recent events.' }),
    assignee: z.object({
      role: z.enum(['ownerCsm', 'csmManager']),
      email: z.string().nullable(),
      note: z.string().nullable().meta({ description: 'Why nobody holds it, when nobody does.' }),
    }),
    account: z.object({
      id: z.string().nullable(),
      name: z.string().nullable(),
      ownerCsmEmail: z.string().nullable(),
      managerEmail: z.string().nullable(),
    }),
    playbook: z.object({ key: z.string(), name: z.string(), version: z.number() }).nullable(),
    run: z.object({ workflowId: z.string(), runId: z.string(), nodeId: z.string(), url: z.string() }),
    dueAt: z.iso.datetime().meta({ description: 'When it escalates or, at the end of its chain, times out.' }),
    escalatedAt: z.iso.datetime().nullable(),
    decision: z
      .object({
        by: z.string().nullable().meta({ description: 'Who decided (email or token name); null for a timeout.' }),
        at: z.iso.datetime(),
        reason: z.string().nullable(),
      })
      .nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof Approval>;
