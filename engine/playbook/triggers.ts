import { z } from 'zod';
import { AccountFieldName, RiskLevel, Segment } from './account-fields.js';
import { Condition } from './conditions.js';

export const EventName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, { error: 'must be an event name such as product.login or value.first' });
export type EventName = z.infer<typeof EventName>;

// What enrolls an account. A playbook may list several; any one of them enrolls (subject to the enrollment policy).
export const Trigger = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('event'), event: EventName, filter: Condition.optional() }),
      z.strictObject({ type: z.literal('riskLevelEntered'), level: RiskLevel }),
      z.strictObject({ type: z.literal('fieldChanged'), field: AccountFieldName }),
      z.strictObject({
        type: z.literal('dateRelative'),
        field: AccountFieldName,
        // Negative is before the date (renewalDate −90 days), positive after.
        offsetDays: z.number({ error: 'must be a number of days' }).int({ error: 'must be a whole number of days' }),
      }),
      z.strictObject({ type: z.literal('segmentEntered'), segment: Segment }),
      z.strictObject({ type: z.literal('manual') }),
    ],
    { error: 'must be a trigger: event, riskLevelEntered, fieldChanged, dateRelative, segmentEntered or manual' },
  )
  .meta({ id: 'PlaybookTrigger', description: 'What enrolls an account into the playbook.' });
export type Trigger = z.infer<typeof Trigger>;
