import { z } from 'zod';
import { NodeId } from './nodes.js';
import { VersionNumber } from './version-number.js';

// What a person asks for when moving running accounts to a newer version, and what the dry run answers. The
// mapping logic is in migration.ts (zod-free: the workflow's validator runs it).

export const MigrationRequest = z
  .strictObject({
    from: VersionNumber.meta({ description: 'The version whose running accounts move.' }),
    to: VersionNumber.min(2)
      .optional()
      .meta({ description: 'The newer version they move to; the current one when absent.' }),
    nodeMap: z.record(NodeId, NodeId).default({}).meta({
      description:
        'Steps of `from` mapped by hand to steps of `to` ({ "wait3": "wait5" }); steps that keep their id and type map by themselves.',
    }),
  })
  .meta({
    id: 'MigrationRequest',
    example: { from: 1, to: 2, nodeMap: { day4: 'day4-checkin' } },
  });
export type MigrationRequest = z.infer<typeof MigrationRequest>;

const StepRef = z.object({ nodeId: z.string(), label: z.string() });

export const MigrationPlan = z
  .object({
    playbook: z.string(),
    from: z.number(),
    to: z.number(),
    nodeMap: z.record(z.string(), z.string()),
    how: z.record(z.string(), z.enum(['same id', 'by hand'])),
    /** Steps that map nowhere: the migration is refused until each is mapped. */
    problems: z.array(z.object({ nodeId: z.string(), message: z.string() })),
    runs: z.array(
      z.object({
        workflowId: z.string(),
        accountId: z.string().nullable(),
        accountName: z.string().nullable(),
        before: StepRef,
        after: StepRef.nullable(),
        refused: z.string().nullable(),
      }),
    ),
    movable: z.number(),
    refused: z.number(),
  })
  .meta({ id: 'MigrationPlan' });
export type MigrationPlan = z.infer<typeof MigrationPlan>;

export const MigrationStarted = z
  .object({
    migrationId: z.string(),
    playbook: z.string(),
    from: z.number(),
    to: z.number(),
    runs: z.number().meta({ description: 'Runs asked to move; each moves at its next step boundary.' }),
    refused: z.number().meta({ description: 'Runs the dry run refused (left on their version, as today).' }),
  })
  .meta({ id: 'MigrationStarted' });
export type MigrationStarted = z.infer<typeof MigrationStarted>;

export const MigrationProgress = z
  .object({
    migrationId: z.string(),
    status: z.enum(['running', 'completed', 'failed']),
    total: z.number(),
    results: z.array(
      z.object({ workflowId: z.string(), outcome: z.enum(['moving', 'refused', 'ended']), detail: z.string() }),
    ),
  })
  .meta({ id: 'MigrationProgress' });
export type MigrationProgress = z.infer<typeof MigrationProgress>;
