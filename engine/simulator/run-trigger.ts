import { z } from 'zod';
import type { RunTrigger as RunTriggerType } from '../interpreter/types.js';

// What enrolled the previewed run, so a preview reads `trigger.data.score` as the run would. The interpreter's type
// (engine/interpreter/types.ts, zod-free for workflow code) is the shape; this schema is checked against it.
const Data = z.record(z.string(), z.json());
export const RunTrigger = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('event'), event: z.string().min(1).max(200), data: Data.default({}) }),
      z.strictObject({
        type: z.literal('fieldChanged'),
        field: z.string().min(1).max(200),
        from: z.json().optional(),
        to: z.json().optional(),
      }),
      z.strictObject({
        type: z.literal('riskLevelEntered'),
        from: z.string().max(40),
        to: z.string().max(40),
        score: z.number().optional(),
      }),
      z.strictObject({ type: z.literal('dateRelative'), today: z.iso.date() }),
      z.strictObject({
        type: z.literal('playbook'),
        playbook: z.string().min(1).max(64),
        workflowId: z.string().max(300),
      }),
      z.strictObject({ type: z.literal('manual') }),
    ],
    { error: 'must be a trigger of type event, fieldChanged, riskLevelEntered, dateRelative, playbook or manual' },
  )
  .meta({
    id: 'RunTrigger',
    description:
      'What enrolled the run: conditions read it as trigger.* (trigger.data.score), templates as {{ trigger.* }}.',
  });

// Compile-time check that the schema and the interpreter's type agree.
type Parsed = z.infer<typeof RunTrigger>;
export const RUN_TRIGGER_MATCHES: Parsed extends RunTriggerType ? true : false = true;
