import { Team } from '../../../engine/people/team.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
import { decodeCursor, pageOf } from '../../db/page-cursor.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { EVERYONE } from '../roles.js';

// The caller's own team, read from their sign-in (the principal carries a manager's team): the dashboard's team view
// shows each member's portfolio. Only names the caller may already see; nothing about other teams.

export const teamRoutes = (_ctx: AppContext) => [
  route({
    method: 'get',
    path: '/api/team',
    tag: 'people',
    access: { roles: EVERYONE, scope: 'read' },
    summary:
      "The caller's team: for a manager, themselves and the active CSMs whose manager they are; for anyone else, no members.",
    query: WholeListPage,
    response: Team.extend({
      nextCursor: NextCursor.meta({
        description: 'Pass as `cursor` for the next page of `members`; null on the last.',
      }),
    }),
    errors: [400],
    async handler({ principal, query }) {
      // The team travels with the sign-in (bounded by the people one manager has); paged like every list all the same.
      const after = query.cursor ? decodeCursor(query.cursor, ['text'])[0] : undefined;
      if (principal?.kind !== 'user' || principal.role !== 'manager') {
        return { manager: null, members: [], nextCursor: null };
      }
      const members = [...principal.team].sort().filter((email) => after === undefined || email > after);
      const page = pageOf(
        members,
        query.limit,
        (email) => email,
        (email) => [email],
      );
      return { manager: principal.email, members: page.items, nextCursor: page.nextCursor };
    },
  }),
];
