import { z } from 'zod';
import { Condition, FieldCondition } from '../../../engine/playbook/conditions.js';

// Reading the engine's zod schemas to build forms: which widget a field needs, what a new value starts as, and
// the words around it. Nothing here knows a node type; it knows zod's building blocks.

export type AnySchema = z.ZodType;

/** A field's schema without its optional/default/nullable wrappers, and what those wrappers said. */
export interface Unwrapped {
  schema: AnySchema;
  optional: boolean;
  nullable: boolean;
  /** The schema's default, when it has one (`sendWindow: 'default'`). */
  defaultValue?: unknown;
  hasDefault: boolean;
}

export function unwrap(schema: AnySchema): Unwrapped {
  let current = schema;
  const found: Unwrapped = { schema, optional: false, nullable: false, hasDefault: false };
  for (;;) {
    if (current instanceof z.ZodOptional) {
      found.optional = true;
      current = current.unwrap() as AnySchema;
    } else if (current instanceof z.ZodNullable) {
      found.nullable = true;
      current = current.unwrap() as AnySchema;
    } else if (current instanceof z.ZodDefault) {
      found.hasDefault = true;
      found.defaultValue = structuredClone(current.def.defaultValue);
      current = current.unwrap() as AnySchema;
    } else break;
  }
  found.schema = current;
  return found;
}

/** The options of a discriminated union, keyed by their discriminator value, in the schema's order. */
export function variantsOf(schema: AnySchema): { discriminator: string; options: [string, z.ZodObject][] } | undefined {
  if (!(schema instanceof z.ZodDiscriminatedUnion)) return undefined;
  const discriminator = schema.def.discriminator;
  const options = (schema.options as AnySchema[]).flatMap((option): [string, z.ZodObject][] => {
    if (!(option instanceof z.ZodObject)) return [];
    const tag = (option.shape as Record<string, AnySchema>)[discriminator];
    return tag instanceof z.ZodLiteral ? [[String(tag.value), option]] : [];
  });
  return { discriminator, options };
}

/** True for a union of plain values only (string | number | boolean | null): one typed-value widget. */
export function isScalarUnion(schema: AnySchema): boolean {
  return (
    schema instanceof z.ZodUnion &&
    !(schema instanceof z.ZodDiscriminatedUnion) &&
    (schema.options as AnySchema[]).every(
      (option) =>
        option instanceof z.ZodString ||
        option instanceof z.ZodNumber ||
        option instanceof z.ZodBoolean ||
        option instanceof z.ZodNull,
    )
  );
}

export function minItems(schema: z.ZodArray): number {
  const checks = (schema.def.checks ?? []) as { _zod: { def: { check: string; minimum?: number } } }[];
  const min = checks.find((check) => check._zod.def.check === 'min_length')?._zod.def.minimum;
  return typeof min === 'number' ? min : 0;
}

/** What a field holds before a person fills it: the schema's default, else the emptiest value of its shape. */
export function initialValueOf(schema: AnySchema, depth = 0): unknown {
  const { schema: inner, optional, hasDefault, defaultValue } = unwrap(schema);
  if (hasDefault) return defaultValue;
  if (optional) return undefined;
  // Conditions are recursive; a new one starts as a single comparison.
  if (inner === Condition) return initialValueOf(FieldCondition, depth + 1);
  if (depth > 8) return undefined;
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, AnySchema>;
    return Object.fromEntries(
      Object.entries(shape).flatMap(([key, field]) => {
        const value = initialValueOf(field, depth + 1);
        return value === undefined ? [] : [[key, value]];
      }),
    );
  }
  if (inner instanceof z.ZodUnion) return initialValueOf((inner.options as AnySchema[])[0]!, depth + 1);
  if (inner instanceof z.ZodEnum) return inner.options[0];
  if (inner instanceof z.ZodLiteral) return inner.value;
  if (inner instanceof z.ZodString) return '';
  if (inner instanceof z.ZodNumber) {
    const min = inner.minValue;
    return typeof min === 'number' && Number.isFinite(min) && min > 0 ? min : 0;
  }
  if (inner instanceof z.ZodBoolean) return false;
  if (inner instanceof z.ZodArray)
    return Array.from({ length: minItems(inner) }, () => initialValueOf(inner.element as AnySchema, depth + 1));
  return undefined;
}

/** The schema's description (`.meta({ description })`), shown as a hint under the field. */
export function descriptionOf(schema: AnySchema): string | undefined {
  for (let current: AnySchema | undefined = schema; current;) {
    const meta = z.globalRegistry.get(current);
    if (meta?.description) return meta.description;
    const next: AnySchema | undefined =
      current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault
        ? (current.unwrap() as AnySchema)
        : undefined;
    current = next;
  }
  return undefined;
}
