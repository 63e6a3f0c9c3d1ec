import { z } from 'zod';
import { EnrollmentExplanation } from '../../../engine/triggers/explanation.js';
import { explainEnrollment } from '../../accounts/enrollment-explain.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
import { ownAccount } from '../../auth/ownership.js';
import { EVERYONE } from '../roles.js';
import { AccountRef } from './accounts.js';

export const enrollmentRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/accounts/:id/enrollment',
    tag: 'accounts',
    access: { roles: EVERYONE, scope: 'read', owner: ownAccount(ctx.database.db) },
    summary:
      'Why an account is or is not enrolled in a playbook: the triggers that matched and what was decided, its runs with their reasons, and — now — whether a trigger holds, whether the enrollment policy would refuse it, which exit criterion would end a run.',
    params: AccountRef,
    query: z.object({
      playbook: z
        .string({ error: 'is required: the playbook’s key or id' })
        .trim()
        .min(1, { error: 'is required: the playbook’s key or id' })
        .max(200),
    }),
    response: EnrollmentExplanation,
    errors: [404, 503],
    async handler({ params, query }) {
      return explainEnrollment(ctx, params.id, query.playbook);
    },
  }),
];
