import { z } from 'zod';

// Conditions are a JSON AST, not a string language: nothing to parse, nothing to eval, and the editor can build
// them as forms. Field paths name the account (`account.segment`), the event awaited (`event.plan`,
// `event.data.seats`), or what enrolled the run (`trigger.data.score`, `trigger.to`; see RunTrigger).

export const ConditionOperator = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'exists']);
export type ConditionOperator = z.infer<typeof ConditionOperator>;

/**
 * What of a date field is compared: the whole days since it (`daysSince`: tenure, "startDate more than 365 days
 * ago") or until it (`daysUntil`: "renewalDate within 30 days"), counted on the account's local calendar at the
 * instant the condition is decided — the run's logical clock, so the preview and the run agree.
 */
export const DateMeasure = z.enum(['daysSince', 'daysUntil']);
export type DateMeasure = z.infer<typeof DateMeasure>;
/** The comparisons a measure takes: a number of days is compared, never listed or searched. */
export const MEASURE_OPERATORS: readonly ConditionOperator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];

export const FieldPath = z.string().regex(/^(account\.[A-Za-z_][A-Za-z0-9_]*|(event|trigger)(\.[A-Za-z0-9_-]+)+)$/, {
  error: 'must name an account field (account.segment), event data (event.plan) or the trigger (trigger.data.score)',
});
export type FieldPath = z.infer<typeof FieldPath>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const ConditionValue = z.union([Scalar, z.array(Scalar)]);
export type ConditionValue = z.infer<typeof ConditionValue>;

export const FieldCondition = z
  .strictObject({
    field: FieldPath,
    measure: DateMeasure.optional().meta({
      description:
        'Compare the days since (daysSince) or until (daysUntil) the date in the field, not the date itself.',
    }),
    op: ConditionOperator,
    value: ConditionValue.optional(),
  })
  .superRefine((condition, ctx) => {
    if (condition.measure !== undefined) {
      if (!MEASURE_OPERATORS.includes(condition.op))
        ctx.addIssue({
          code: 'custom',
          path: ['op'],
          message: `'${condition.op}' does not compare a number of days; use eq, neq, gt, gte, lt or lte`,
        });
      else if (typeof condition.value !== 'number' || !Number.isInteger(condition.value))
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `'${condition.measure}' compares with a whole number of days`,
        });
    } else if (condition.op === 'exists') {
      if (condition.value !== undefined)
        ctx.addIssue({ code: 'custom', path: ['value'], message: "'exists' takes no value" });
    } else if (condition.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `'${condition.op}' needs a value to compare with` });
    } else if (condition.op === 'in' && !Array.isArray(condition.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: "'in' needs a list of values" });
    } else if (condition.op !== 'in' && Array.isArray(condition.value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `'${condition.op}' compares with one value, not a list`,
      });
    }
  });
export type FieldCondition = z.infer<typeof FieldCondition>;

// Recursive types cannot be inferred, so this one type is written out; the schema is checked against it.
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | FieldCondition;

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z
    .union(
      [
        z.strictObject({ all: z.array(Condition).min(1, { error: 'needs at least one condition' }) }),
        z.strictObject({ any: z.array(Condition).min(1, { error: 'needs at least one condition' }) }),
        z.strictObject({ not: Condition }),
        FieldCondition,
      ],
      { error: 'must be a condition: { all: [...] }, { any: [...] }, { not: ... } or { field, op, value }' },
    )
    .meta({ id: 'Condition', description: 'A JSON condition on account fields and event data.' }),
);

/** Every field comparison inside a condition, with its path relative to the condition. */
export function fieldConditionsOf(condition: Condition, path = ''): { condition: FieldCondition; path: string }[] {
  if ('all' in condition) return condition.all.flatMap((inner, i) => fieldConditionsOf(inner, `${path}.all[${i}]`));
  if ('any' in condition) return condition.any.flatMap((inner, i) => fieldConditionsOf(inner, `${path}.any[${i}]`));
  if ('not' in condition) return fieldConditionsOf(condition.not, `${path}.not`);
  return [{ condition, path }];
}
