import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef } from 'react';
import { FormProvider, useForm, type FieldValues, type Resolver } from 'react-hook-form';
import type { z } from 'zod';
import { SchemaFields } from './schema-field.js';

interface SchemaFormProps {
  /** The engine's schema for what is edited: it draws the fields and checks them (zod resolver). */
  schema: z.ZodObject;
  values: Record<string, unknown>;
  /** Every change, as typed, valid or not: a draft may be unfinished, the compiler marks what is wrong. */
  onValues: (values: Record<string, unknown>, changed: string | undefined) => void;
  label: string;
}

/**
 * A form over one engine schema. It is uncontrolled after mount: the parent remounts it (a `key`) when the value
 * changes from elsewhere (undo, another step selected), and hears every edit through `onValues`.
 */
export function SchemaForm({ schema, values, onValues, label }: SchemaFormProps) {
  const form = useForm<FieldValues>({
    resolver: zodResolver(schema as unknown as z.ZodType<FieldValues, FieldValues>) as Resolver<FieldValues>,
    mode: 'all',
    defaultValues: values,
  });
  const listener = useRef(onValues);
  listener.current = onValues;
  useEffect(() => {
    // Show what is wrong at once (a step fresh from the palette), not only after a field is touched.
    void form.trigger();
    const subscription = form.watch((all, { name }) => {
      // react-hook-form mutates its values object in place; the draft keeps immutable copies.
      listener.current(structuredClone(all) as Record<string, unknown>, name);
    });
    return () => subscription.unsubscribe();
  }, [form]);
  return (
    <FormProvider {...form}>
      <form className="schema-form" aria-label={label} onSubmit={(e) => e.preventDefault()} noValidate>
        <SchemaFields schema={schema} />
      </form>
    </FormProvider>
  );
}
