import { Dashboard, DashboardQuery } from '../../../engine/dashboard/schema.js';
import type { AppContext } from '../../context.js';
import { dashboard } from '../../dashboard/dashboard.js';
import { requireFilter } from '../../auth/ownership.js';
import { route } from '../route.js';
import { EVERYONE } from '../roles.js';

export const dashboardRoutes = (ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/dashboard',
    tag: 'dashboard',
    access: {
      roles: EVERYONE,
      scope: 'read',
      // A CSM sees their own portfolio (?owner=<their email>), a manager their team's members' one at a time;
      // everyone else the whole install, or one owner's.
      owner: {
        what: 'the portfolio (?owner=)',
        of: async ({ query }) =>
          query.owner ? [{ csms: [query.owner], manager: null }] : requireFilter('the dashboard of ?owner=<email>'),
      },
    },
    summary:
      'The portfolio in numbers: health distribution, runs per playbook and each playbook’s funnel, emails per day and state, approvals pending, time to goal (first value), renewals coming and their cadence state. Each number is the length of a list the API serves with the same filters.',
    query: DashboardQuery,
    response: Dashboard,
    async handler({ query }) {
      return dashboard(ctx, query);
    },
  }),
];
