import { z } from 'zod';
import { DeliveryMessage } from '../../../engine/email/outbox.js';
import type { AppContext } from '../../context.js';
import type { Principal } from '../../auth/principal.js';
import { deliveryOwners } from '../../auth/ownership.js';
import { relayLookupFor } from '../../email/relay-lookup.js';
import { settleAllUncertain, settleUncertain, type SettleDeps } from '../../email/settle.js';
import { DomainError } from '../../errors.js';
import { route } from '../route.js';
import { ACCOUNT_TEAM, DESIGNERS } from '../roles.js';

// The operator's action on emails whose delivery is uncertain: ask the relay where it can answer, else apply the
// playbook's policy (send again once, or leave failed), audited. See server/email/settle.ts.

const Policy = z.enum(['resend', 'leave']);

const SettleBody = z
  .object({
    policy: z
      .object({
        default: Policy.meta({ description: 'For playbooks not named below.' }),
        playbooks: z
          .record(z.string().min(1).max(200), Policy)
          .optional()
          .meta({ description: 'By playbook key: what to do with its emails the relay cannot vouch for.' }),
      })
      .default({ default: 'leave' })
      .meta({
        description:
          'What to do with an email the relay does not hold, or when the relay cannot be asked (an external SMTP relay): resend it once (same Message-ID) or leave it failed. Default: leave.',
      }),
  })
  .meta({ id: 'SettleUncertainRequest' });

const Outcome = z.enum(['held', 'resent', 'left']).meta({
  description: 'held: the relay has it (now sent); resent: sent again by policy; left: failed by policy.',
});

const DeliveryId = z.object({ id: z.uuid({ message: 'must be an email id (a UUID)' }) });

const actorOf = (principal: Principal | undefined): Principal => {
  if (!principal) throw new DomainError('unauthenticated', 'unauthorized', 'Sign in to settle emails');
  return principal;
};

export const outboxSettleRoutes = (ctx: AppContext) => {
  const deps = (): SettleDeps => ({
    db: ctx.database.db,
    transport: ctx.mail.transport,
    from: ctx.config.MAIL_FROM,
    // The in-process catcher stores each message before it answers 250: it can say whether it holds one.
    relayHolds: relayLookupFor({
      catching: ctx.mail.catching,
      db: ctx.database.db,
      lookupUrl: ctx.config.SMTP_MESSAGE_LOOKUP_URL,
    }),
  });
  return [
    route({
      method: 'post',
      path: '/api/outbox/deliveries/settle',
      tag: 'email',
      access: { roles: DESIGNERS, scope: 'runs:write' },
      summary:
        'Settles every email whose delivery is uncertain (up to 500, oldest first): sent when the relay holds it, else resent once or left failed by the playbook policy; each decision is audited.',
      body: SettleBody,
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            outcome: Outcome.optional(),
            state: z.string(),
            error: z.string().optional(),
          }),
        ),
      }),
      async handler({ body, principal, req }) {
        const items = await settleAllUncertain(deps(), body.policy, { actor: actorOf(principal), ip: req.ip ?? null });
        return { items };
      },
    }),
    route({
      method: 'post',
      path: '/api/outbox/deliveries/:id/settle',
      tag: 'email',
      access: {
        roles: ACCOUNT_TEAM,
        scope: 'runs:write',
        owner: {
          what: "the email's account",
          of: async ({ params }) => [await deliveryOwners(ctx.database.db, params.id)],
        },
      },
      summary:
        'Settles one email whose delivery is uncertain: sent when the relay holds it, else resent once or left failed by the playbook policy; audited. 409 for any other state.',
      params: DeliveryId,
      body: SettleBody,
      response: z.object({ outcome: Outcome, email: DeliveryMessage.pick({ id: true, state: true, lastError: true }) }),
      errors: [404, 409],
      async handler({ params, body, principal, req }) {
        const { outcome, row } = await settleUncertain(deps(), params.id, body.policy, {
          actor: actorOf(principal),
          ip: req.ip ?? null,
        });
        return { outcome, email: { id: row.id, state: row.state, lastError: row.last_error } };
      },
    }),
  ];
};
