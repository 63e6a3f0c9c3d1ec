import { Team } from '../../../engine/people/team.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
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
    response: Team,
    async handler({ principal }) {
      if (principal?.kind !== 'user' || principal.role !== 'manager') return { manager: null, members: [] };
      return { manager: principal.email, members: [...principal.team].sort() };
    },
  }),
];
