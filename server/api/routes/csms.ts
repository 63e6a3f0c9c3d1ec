import { z } from 'zod';
import { CsmProfile, CsmProfileInput, CsmRef } from '../../../engine/people/csm-profile.js';
import type { AppContext } from '../../context.js';
import { findCsmProfile, pageCsmProfiles, saveCsmProfile } from '../../people/csm-profiles.js';
import { recordAudit } from '../../audit/log.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { personOwners } from '../../auth/ownership.js';
import { ACCOUNT_TEAM, EVERYONE } from '../roles.js';

export const csmRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/csms',
      tag: 'people',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'CSM profiles: the name, booking link and signature playbook emails use for each owner CSM.',
      query: WholeListPage,
      response: z.object({ items: z.array(CsmProfile), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query }) {
        return pageCsmProfiles(db, query);
      },
    }),
    route({
      method: 'get',
      path: '/api/csms/:email',
      tag: 'people',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'One CSM profile, by the email accounts name as their owner CSM.',
      params: CsmRef,
      response: CsmProfile,
      errors: [404],
      async handler({ params }) {
        return findCsmProfile(db, params.email);
      },
    }),
    route({
      method: 'put',
      path: '/api/csms/:email',
      tag: 'people',
      access: {
        roles: ACCOUNT_TEAM,
        scope: 'accounts:write',
        // A CSM edits their own signature; a manager their team's.
        owner: { what: 'the profile', of: async ({ params }) => [await personOwners(db, params.email)] },
      },
      summary:
        'Creates or updates a CSM profile. Fields left out keep their value; null clears one. Emails to accounts this CSM owns sign with it (csm.name, csm.booking_link, csm.signature).',
      params: CsmRef,
      body: CsmProfileInput,
      response: CsmProfile,
      async handler({ params, body, principal }) {
        const profile = await saveCsmProfile(db, params.email, body);
        await recordAudit(db, {
          actor: principal!,
          action: 'csm_profile.saved',
          target: { kind: 'user', id: profile.email },
          detail: { ...body },
        });
        return profile;
      },
    }),
  ];
};
