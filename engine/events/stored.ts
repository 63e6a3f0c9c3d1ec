import { z } from 'zod';

// An account event as stored and answered by the API (GET /api/accounts/:id/events).

export const StoredAccountEvent = z
  .object({
    id: z.number(),
    accountId: z.string(),
    seq: z.number(),
    name: z.string(),
    occurredAt: z.string(),
    receivedAt: z.string(),
    data: z.record(z.string(), z.unknown()),
    idempotencyKey: z.string().nullable(),
  })
  .meta({ id: 'AccountEvent' });
export type StoredAccountEvent = z.infer<typeof StoredAccountEvent>;
