import { z } from 'zod';
import { Condition } from './conditions.js';
import { Duration } from './durations.js';
import { CatchUpPolicy } from './enrollment.js';
import { HandleId, NodeId, PlaybookNode } from './nodes.js';
import { EventName, Trigger } from './triggers.js';

export const PlaybookKey = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    error: 'must be a slug of lowercase letters, digits and dashes, e.g. onboarding-30d',
  })
  .max(64);

export const PlaybookEdge = z
  .object({
    id: NodeId,
    source: z.string(),
    // React Flow writes `null` for a node's only handle; both null and absent mean the step's single exit.
    sourceHandle: HandleId.nullish(),
    target: z.string(),
  })
  .meta({ id: 'PlaybookEdge', description: 'A connection from one outcome (handle) of a step to the next step.' });
export type PlaybookEdge = z.infer<typeof PlaybookEdge>;

// How often one account may go through the playbook; the Temporal driver maps this onto workflow id policies.
export const EnrollmentPolicy = z
  .discriminatedUnion(
    'mode',
    [
      z.strictObject({ mode: z.literal('once'), catchUp: CatchUpPolicy.optional() }),
      z.strictObject({ mode: z.literal('oneAtATime'), catchUp: CatchUpPolicy.optional() }),
      z.strictObject({
        mode: z.literal('everyTime'),
        cooldown: Duration.optional(),
        catchUp: CatchUpPolicy.optional(),
      }),
    ],
    { error: "must be an enrollment mode: 'once', 'oneAtATime' or 'everyTime'" },
  )
  .meta({ id: 'EnrollmentPolicy' });
export type EnrollmentPolicy = z.infer<typeof EnrollmentPolicy>;

const Label = z.string().trim().min(1, { error: 'must not be empty' });
// Reaching an exit marked as a goal records it (with the time since enrollment: time to value) before ending.
const ExitGoal = z.strictObject({ name: Label }).optional();

export const ExitCriterion = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('condition'), label: Label, when: Condition, goal: ExitGoal }),
      z.strictObject({
        kind: z.literal('event'),
        label: Label,
        event: EventName,
        filter: Condition.optional(),
        goal: ExitGoal,
      }),
    ],
    { error: "must be an exit of kind 'condition' or 'event'" },
  )
  .meta({ id: 'ExitCriterion', description: 'Ends a run early, e.g. risk back to low, or the first value event.' });
export type ExitCriterion = z.infer<typeof ExitCriterion>;

export const PlaybookDefinition = z
  .object({
    schemaVersion: z.literal(1, { error: 'must be 1' }),
    key: PlaybookKey,
    name: Label,
    description: z.string().default(''),
    triggers: z.array(Trigger).min(1, { error: 'needs at least one trigger (use manual for hand enrollment only)' }),
    enrollment: EnrollmentPolicy,
    exit: z.array(ExitCriterion).default([]),
    // Bounds keep compile time and the workflow input (Temporal payloads are limited to a few MB) in check.
    nodes: z.array(PlaybookNode).max(500, { error: 'has more than 500 steps' }),
    edges: z.array(PlaybookEdge).max(2000, { error: 'has more than 2000 connections' }),
  })
  .meta({
    id: 'PlaybookDefinition',
    description: 'A playbook as drawn in the editor or kept in git.',
    // OpenAPI (zod-openapi): documented in its input form — as drawn, defaults left out — as it is sent and stored.
    unusedIO: 'input',
  });
export type PlaybookDefinition = z.infer<typeof PlaybookDefinition>;
/** What an author writes: defaults (description, exit, send windows…) may be left out. */
export type PlaybookDefinitionInput = z.input<typeof PlaybookDefinition>;
