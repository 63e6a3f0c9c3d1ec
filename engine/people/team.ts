import { z } from 'zod';

// The signed-in person's team, as `GET /api/team` answers: a manager and the CSMs whose manager they are. The
// dashboard's team view reads it to show each member's portfolio and the team's total.

export const Team = z
  .object({
    manager: z.string().nullable().meta({ description: 'The manager (the caller, when a manager); else null.' }),
    members: z.array(z.string()).meta({ description: 'The active CSMs of the team (emails, lower case).' }),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;
