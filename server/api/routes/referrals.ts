import { ReferralLedger } from '../../../engine/referrals/ledger.js';
import type { AppContext } from '../../context.js';
import { ownAccount } from '../../auth/ownership.js';
import { referralLedger } from '../../referrals/ledger.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { EVERYONE } from '../roles.js';
import { AccountRef } from './accounts.js';

export const referralRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/accounts/:id/referrals',
      tag: 'accounts',
      access: { roles: EVERYONE, scope: 'read', owner: ownAccount(db) },
      summary:
        'The account’s referral ledger: $200 credit per referred customer who subscribed (event referral.converted), $100 more when one renewed (referral.renewed), and 20 % off the first month when the account was itself referred (a referral.converted naming it as referredAccountId).',
      params: AccountRef,
      query: WholeListPage,
      response: ReferralLedger.extend({
        nextCursor: NextCursor.meta({
          description:
            'Pass as `cursor` for the next page of `entries` (the totals always count every line); null on the last page.',
        }),
      }),
      errors: [404],
      async handler({ params, query }) {
        return referralLedger(db, params.id, query);
      },
    }),
  ];
};
