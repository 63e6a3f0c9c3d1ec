import { z } from 'zod';
import { EnrollmentAccount } from '../playbook/enrollment.js';

/** Whom to enroll: a stored account, by id or external id, or an account described inline (tests, integrations). */
export const EnrollmentRequest = z
  .strictObject({
    accountId: z.uuid({ error: 'must be an account id (a UUID)' }).optional(),
    externalId: z.string().trim().min(1).max(200).optional().meta({ description: 'A stored account’s external id.' }),
    account: EnrollmentAccount.optional().meta({ description: 'An account that is not stored, given in full.' }),
  })
  .refine((body) => [body.accountId, body.externalId, body.account].filter((v) => v !== undefined).length === 1, {
    error: 'give exactly one of accountId, externalId or account',
  })
  .meta({ id: 'EnrollmentRequest' });
export type EnrollmentRequest = z.infer<typeof EnrollmentRequest>;
