import { z } from 'zod';

// Contact governance as an operator edits it: how many playbook emails one contact may get in a period, which
// playbooks count first (priority), which are sequences the contact expects and so are never capped (onboarding,
// receipts), and the quiet period — no promotional email while a rescue is open for the account. The sender
// (server/email/send-step.ts) and the preview (engine/simulator) decide with the same function (decide.ts).

const PlaybookKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be a playbook key such as onboarding-30d' })
  .max(100);

export const EmailPriority = z.enum(['high', 'normal', 'low']).meta({
  description:
    'An email counts against the cap only the emails of its own priority or higher: a flood of low-priority mail never crowds out a renewal reminder.',
});
export type EmailPriority = z.infer<typeof EmailPriority>;

export const PlaybookGovernance = z.strictObject({
  priority: EmailPriority.default('normal'),
  exempt: z
    .boolean()
    .default(false)
    .meta({ description: 'A sequence the contact expects (onboarding, receipts): never capped, never counted.' }),
  promotional: z
    .boolean()
    .default(false)
    .meta({ description: 'Held back (skipped) while a rescue is open for the account.' }),
});
export type PlaybookGovernance = z.infer<typeof PlaybookGovernance>;

export const FrequencyCapRule = z
  .strictObject({
    max: z.int().min(1, { error: 'must allow at least 1 email' }).max(100),
    period: z.strictObject({
      amount: z.int().min(1, { error: 'must be at least 1' }).max(2160),
      unit: z.enum(['hours', 'days']),
    }),
  })
  .refine((c) => c.period.amount * (c.period.unit === 'days' ? 24 : 1) <= 2160, {
    path: ['period', 'amount'],
    error: 'the period lasts at most 90 days',
  })
  .meta({ description: 'At most `max` playbook emails per contact in any rolling period.' });
export type FrequencyCapRule = z.infer<typeof FrequencyCapRule>;

export const ContactGovernance = z
  .strictObject({
    frequencyCap: FrequencyCapRule.nullable().meta({ description: 'null: no cap.' }),
    playbooks: z
      .record(PlaybookKey, PlaybookGovernance)
      .refine((r) => Object.keys(r).length <= 500, { error: 'at most 500 playbooks' })
      .meta({ description: 'By playbook key; a playbook not listed is normal priority, capped, not promotional.' }),
    quietWhileRescue: z.strictObject({
      enabled: z.boolean(),
      rescuePlaybooks: z
        .array(PlaybookKey)
        .max(100)
        .meta({ description: 'An open run of any of these means the account is in rescue.' }),
    }),
  })
  .meta({ id: 'ContactGovernance' });
export type ContactGovernance = z.infer<typeof ContactGovernance>;

/**
 * Out of the box: 3 emails per contact per 7 days (MAIL_FREQUENCY_CAP may say otherwise); the onboarding exempt —
 * its first week alone has five emails the new customer expects; renewals and rescues first; the upsell, advocacy
 * and referral asks last, and held back while a rescue is open.
 */
const HIGH: PlaybookGovernance = { priority: 'high', exempt: false, promotional: false };
const PROMOTIONAL: PlaybookGovernance = { priority: 'low', exempt: false, promotional: true };
export const DEFAULT_GOVERNANCE: ContactGovernance = {
  frequencyCap: { max: 3, period: { amount: 7, unit: 'days' } },
  playbooks: {
    'onboarding-30d': { priority: 'high', exempt: true, promotional: false },
    'renewal-cadence': HIGH,
    'rescue-high': HIGH,
    'rescue-medium': HIGH,
    'rescue-low': HIGH,
    'expansion-moments': PROMOTIONAL,
    'expansion-signals': PROMOTIONAL,
    advocacy: PROMOTIONAL,
    referral: PROMOTIONAL,
  },
  quietWhileRescue: { enabled: true, rescuePlaybooks: ['rescue-high', 'rescue-medium', 'rescue-low'] },
};
