import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { Condition, ConditionValue } from '../../engine/playbook/conditions.js';
import { TimeOfDay } from '../../engine/playbook/durations.js';
import { WaitConfig } from '../../engine/playbook/nodes.js';
import {
  descriptionOf,
  initialValueOf,
  isScalarUnion,
  minItems,
  unwrap,
  variantsOf,
} from '../../editor/src/forms/zod-walk.js';

// Reading zod schemas to build the editor's forms (editor/src/forms/zod-walk.ts): the building blocks on their
// own, and the engine's schemas the forms are really made from.

describe('unwrap', () => {
  it('peels optional, nullable and default wrappers and says what they were', () => {
    const found = unwrap(z.string().nullable().default('x').optional());
    expect(found.schema).toBeInstanceOf(z.ZodString);
    expect(found).toMatchObject({ optional: true, nullable: true, hasDefault: true, defaultValue: 'x' });
    expect(unwrap(z.number())).toMatchObject({ optional: false, nullable: false, hasDefault: false });
  });

  it('hands out a copy of an object default, so a form editing it never changes the schema', () => {
    const schema = z.object({ days: z.array(z.string()) }).default({ days: ['mon'] });
    const first = unwrap(schema).defaultValue as { days: string[] };
    first.days.push('tue');
    expect(unwrap(schema).defaultValue).toEqual({ days: ['mon'] });
  });
});

describe('variantsOf and isScalarUnion', () => {
  it('lists a discriminated union’s options by tag, in the schema’s order', () => {
    const variants = variantsOf(WaitConfig)!;
    expect(variants.discriminator).toBe('kind');
    expect(variants.options.map(([tag]) => tag)).toEqual(['duration', 'untilDate', 'nextWeekday', 'anchored']);
    expect(variants.options[0]![1]).toBeInstanceOf(z.ZodObject);
    expect(variantsOf(z.string())).toBeUndefined();
  });

  it('tells a union of plain values (one typed-value widget) from other unions', () => {
    expect(isScalarUnion(z.union([z.string(), z.number(), z.boolean(), z.null()]))).toBe(true);
    expect(isScalarUnion(ConditionValue)).toBe(false);
    expect(isScalarUnion(WaitConfig)).toBe(false);
    expect(isScalarUnion(z.string())).toBe(false);
  });
});

describe('minItems', () => {
  it('reads an array’s minimum length, 0 without one', () => {
    expect(minItems(z.array(z.string()).min(2))).toBe(2);
    expect(minItems(z.array(z.string()).max(5))).toBe(0);
  });
});

describe('initialValueOf', () => {
  it('starts a field at its default, else the emptiest value of its shape', () => {
    const schema = z.object({
      name: z.string(),
      count: z.number().min(3),
      offset: z.number().min(-5),
      on: z.boolean(),
      mode: z.enum(['slow', 'fast']),
      kind: z.literal('fixed'),
      window: z.string().default('default'),
      note: z.string().optional(),
      pair: z.array(z.number()).min(2),
      either: z.union([z.number(), z.string()]),
    });
    expect(initialValueOf(schema)).toEqual({
      name: '',
      count: 3,
      offset: 0,
      on: false,
      mode: 'slow',
      kind: 'fixed',
      window: 'default',
      pair: [0, 0],
      either: 0,
    });
  });

  it('starts a discriminated union as its first option, and a condition as one comparison', () => {
    expect(initialValueOf(WaitConfig)).toEqual({ kind: 'duration', amount: 1, unit: 'minutes' });
    expect(initialValueOf(Condition)).toEqual({ field: '', op: 'eq' });
    expect(initialValueOf(z.object({ when: Condition.optional() }))).toEqual({});
  });
});

describe('descriptionOf', () => {
  it('finds the schema’s description through its wrappers, for the hint under a field', () => {
    expect(descriptionOf(TimeOfDay.optional())).toBe('Local time in the account time zone, 24-hour HH:mm.');
    expect(descriptionOf(z.string().meta({ description: 'Why' }).nullable())).toBe('Why');
    expect(descriptionOf(z.string())).toBeUndefined();
  });
});
