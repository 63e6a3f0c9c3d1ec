import { useId, type ReactNode } from 'react';
import { get, useController, useFormContext, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { AccountFieldName } from '../../../engine/playbook/account-fields.js';
import { Condition } from '../../../engine/playbook/conditions.js';
import { TimeOfDay, Weekday } from '../../../engine/playbook/durations.js';
import { TemplateKey } from '../../../engine/playbook/nodes.js';
import { EventName } from '../../../engine/playbook/triggers.js';
import { humanize } from '../ui/words.js';
import { ConditionEditor } from './condition-editor.js';
import {
  AccountFieldSelect,
  EventNameInput,
  JsonInput,
  PersonInput,
  ScalarInput,
  StepPicker,
  TemplatePicker,
  TimeOfDayInput,
  WeekdayChecks,
  type WidgetProps,
} from './widgets.js';
import {
  descriptionOf,
  initialValueOf,
  isScalarUnion,
  minItems,
  unwrap,
  variantsOf,
  type AnySchema,
} from './zod-walk.js';

// One form field per schema node, recursively: the engine's zod schema decides the widgets, react-hook-form holds
// the values, and the zod resolver's messages appear under the fields they are about.

interface FieldProps {
  schema: AnySchema;
  /** The react-hook-form path ('config.timeout.amount'). */
  name: string;
  label: string;
  /** Long text fields (instructions, messages) get a text area. */
  multiline?: boolean;
}

const MULTILINE = new Set(['instructions', 'details', 'message', 'description']);
const join = (name: string, key: string | number) => (name === '' ? String(key) : `${name}.${key}`);

function useFieldError(name: string): string | undefined {
  const { formState } = useFormContext();
  const error = get(formState.errors, name) as { message?: string; root?: { message?: string } } | undefined;
  return error?.message ?? error?.root?.message;
}

function FieldShell(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
  inline?: boolean;
}) {
  return (
    <div className={`field${props.inline ? ' inline' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <span className="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
      {props.hint && <span className="field-hint">{props.hint}</span>}
    </div>
  );
}

/** A leaf value edited by one widget. */
type Widget = (p: WidgetProps<unknown>) => ReactNode;
/** A widget of a known value type; the form holds `unknown` (it may hold anything while a person types). */
const typed =
  <T,>(render: (p: WidgetProps<T>) => ReactNode): Widget =>
  (p) =>
    render(p as WidgetProps<T>);

function LeafField(props: FieldProps & { widget: Widget; hint?: string }) {
  const id = useId();
  const { field, fieldState } = useController({ name: props.name });
  const error = fieldState.error?.message;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} error={error}>
      {props.widget({
        id,
        value: field.value as unknown,
        onChange: field.onChange,
        invalid: error !== undefined,
        describedBy: error ? `${id}-error` : undefined,
      })}
    </FieldShell>
  );
}

function EnumSelect(props: WidgetProps<string> & { options: readonly string[] }) {
  return (
    <select
      id={props.id}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.target.value)}
      aria-invalid={props.invalid ? true : undefined}
      aria-describedby={props.describedBy}
    >
      {props.value === undefined && <option value="">Choose…</option>}
      {props.options.map((option) => (
        <option key={option} value={option}>
          {humanize(option)}
        </option>
      ))}
    </select>
  );
}

function ObjectFields({
  schema,
  name,
  label,
  root,
}: {
  schema: z.ZodObject;
  name: string;
  label: string;
  root?: boolean;
}) {
  const error = useFieldError(name);
  const fields = Object.entries(schema.shape as Record<string, AnySchema>).map(([key, field]) => (
    <SchemaField
      key={key}
      schema={field}
      name={join(name, key)}
      label={humanize(key, true)}
      multiline={MULTILINE.has(key)}
    />
  ));
  if (root) return <>{fields}</>;
  return (
    <fieldset className="group">
      <legend>{label}</legend>
      {fields}
      {error && <span className="field-error">{error}</span>}
    </fieldset>
  );
}

/** A discriminated union (a wait's kind, a trigger's type): pick the kind, then fill that kind's fields. */
function VariantFields({ schema, name, label }: { schema: AnySchema; name: string; label: string }) {
  const variants = variantsOf(schema)!;
  const { setValue } = useFormContext();
  const id = useId();
  const current = useWatch({ name: join(name, variants.discriminator) }) as string | undefined;
  const chosen = variants.options.find(([tag]) => tag === current)?.[1];
  const error = useFieldError(name);
  return (
    <fieldset className="group">
      <legend>{label}</legend>
      <FieldShell id={id} label={humanize(variants.discriminator, true)} error={chosen ? undefined : error}>
        <EnumSelect
          id={id}
          value={current}
          options={variants.options.map(([tag]) => tag)}
          onChange={(tag) => {
            const option = variants.options.find(([t]) => t === tag)?.[1];
            if (option) setValue(name, initialValueOf(option), { shouldValidate: true, shouldDirty: true });
          }}
        />
      </FieldShell>
      {chosen &&
        Object.entries(chosen.shape as Record<string, AnySchema>)
          .filter(([key]) => key !== variants.discriminator)
          .map(([key, field]) => (
            <SchemaField
              key={`${current}.${key}`}
              schema={field}
              name={join(name, key)}
              label={humanize(key, true)}
              multiline={MULTILINE.has(key)}
            />
          ))}
    </fieldset>
  );
}

/** A union of fixed words and a custom shape (a send window: 'default', 'immediate' or days and hours). */
function ChoiceFields({ schema, name, label }: { schema: z.ZodUnion; name: string; label: string }) {
  const options = schema.options as AnySchema[];
  const { setValue } = useFormContext();
  const id = useId();
  const value = useWatch({ name }) as unknown;
  const words = options.map((option, i) => (option instanceof z.ZodLiteral ? String(option.value) : `custom${i}`));
  const index = options.findIndex((option) =>
    option instanceof z.ZodLiteral ? option.value === value : typeof value === 'object' && value !== null,
  );
  const chosen = options[index];
  return (
    <fieldset className="group">
      <legend>{label}</legend>
      <FieldShell id={id} label="Choice" error={useFieldError(name)}>
        <select
          id={id}
          value={index < 0 ? '' : words[index]}
          onChange={(e) => {
            const option = options[words.indexOf(e.target.value)];
            if (option) setValue(name, initialValueOf(option), { shouldValidate: true, shouldDirty: true });
          }}
        >
          {index < 0 && <option value="">Choose…</option>}
          {words.map((word) => (
            <option key={word} value={word}>
              {word.startsWith('custom') ? 'Custom' : humanize(word, true)}
            </option>
          ))}
        </select>
      </FieldShell>
      {chosen && !(chosen instanceof z.ZodLiteral) && <SchemaField schema={chosen} name={name} label={label} />}
    </fieldset>
  );
}

/** A list of objects (branch conditions, split variants, triggers): add, remove, edit each. */
function ArrayFields({ schema, name, label }: { schema: z.ZodArray; name: string; label: string }) {
  const { setValue, getValues } = useFormContext();
  const items = (useWatch({ name }) as unknown[] | undefined) ?? [];
  const element = schema.element as AnySchema;
  const min = minItems(schema);
  const error = useFieldError(name);
  const itemLabel = humanize(label.replace(/s$/, ''), true);
  const write = (next: unknown[]) => setValue(name, next, { shouldValidate: true, shouldDirty: true });
  return (
    <fieldset className="group list">
      <legend>{label}</legend>
      {items.map((_, i) => (
        <div className="list-item" key={i}>
          <SchemaField schema={element} name={join(name, i)} label={`${itemLabel} ${i + 1}`} />
          <button
            type="button"
            className="link danger"
            disabled={items.length <= min}
            onClick={() => write(((getValues(name) as unknown[]) ?? []).filter((__, j) => j !== i))}
          >
            Remove {itemLabel.toLowerCase()} {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => write([...((getValues(name) as unknown[]) ?? []), initialValueOf(element)])}>
        Add {itemLabel.toLowerCase()}
      </button>
      {error && <span className="field-error">{error}</span>}
    </fieldset>
  );
}

/** A field that may be left out (a filter, a time of day): include it or not. */
function OptionalField(props: FieldProps & { inner: AnySchema }) {
  const { setValue } = useFormContext();
  const value = useWatch({ name: props.name }) as unknown;
  const present = value !== undefined;
  return (
    <div className="optional">
      <label className="check">
        <input
          type="checkbox"
          checked={present}
          onChange={() =>
            setValue(props.name, present ? undefined : initialValueOf(props.inner), {
              shouldValidate: true,
              shouldDirty: true,
            })
          }
        />
        {present ? props.label : `Add ${props.label.toLowerCase()}`}
      </label>
      {present && <RequiredField {...props} schema={props.inner} />}
    </div>
  );
}

function RequiredField(props: FieldProps) {
  const { schema, name, label } = props;
  const hint = descriptionOf(schema);
  if (schema === Condition) return <ConditionEditor name={name} label={label} />;
  if (schema === TimeOfDay)
    return (
      <LeafField
        {...props}
        hint={hint}
        widget={typed<string>((p) => (
          <TimeOfDayInput {...p} />
        ))}
      />
    );
  if (schema === AccountFieldName)
    return (
      <LeafField
        {...props}
        widget={typed<string>((p) => (
          <AccountFieldSelect {...p} />
        ))}
      />
    );
  if (schema === EventName)
    return (
      <LeafField
        {...props}
        widget={typed<string>((p) => (
          <EventNameInput {...p} />
        ))}
      />
    );
  if (schema === TemplateKey)
    return (
      <LeafField
        {...props}
        widget={typed<string>((p) => (
          <TemplatePicker {...p} />
        ))}
      />
    );
  // An assignOwner step's CSM (…owner.email, …fallback.email) or team (its manager's email) offers the install's.
  const person = schema instanceof z.ZodString ? /^config\.(?:.+\.)?(email|team)$/.exec(name)?.[1] : undefined;
  if (person)
    return (
      <LeafField
        {...props}
        hint={hint}
        widget={typed<string>((p) => (
          <PersonInput {...p} who={person === 'email' ? 'csm' : 'team'} />
        ))}
      />
    );
  // Fields that name a step by id (the preview's scripted approvals and failures) pick from the drawing.
  if (schema instanceof z.ZodString && /(^|\.)nodeId$/.test(name))
    return (
      <LeafField
        {...props}
        widget={typed<string>((p) => (
          <StepPicker {...p} />
        ))}
      />
    );
  if (variantsOf(schema)) return <VariantFields schema={schema} name={name} label={label} />;
  if (schema instanceof z.ZodObject) return <ObjectFields schema={schema} name={name} label={label} />;
  if (schema instanceof z.ZodUnion && isScalarUnion(schema)) {
    const kinds = (schema.options as AnySchema[]).map((o) =>
      o instanceof z.ZodNumber
        ? 'number'
        : o instanceof z.ZodBoolean
          ? 'boolean'
          : o instanceof z.ZodNull
            ? 'null'
            : 'string',
    );
    return (
      <LeafField
        {...props}
        widget={typed<string | number | boolean | null>((p) => (
          <ScalarInput {...p} kinds={kinds} />
        ))}
      />
    );
  }
  if (schema instanceof z.ZodUnion) return <ChoiceFields schema={schema} name={name} label={label} />;
  if (schema instanceof z.ZodEnum) {
    const options = schema.options as readonly string[];
    return (
      <LeafField
        {...props}
        hint={hint}
        widget={typed<string>((p) => (
          <EnumSelect {...p} options={options} />
        ))}
      />
    );
  }
  if (schema instanceof z.ZodLiteral) return null;
  if (schema instanceof z.ZodArray) {
    const element = unwrap(schema.element as AnySchema).schema;
    if (element === Weekday) return <WeekdaysField name={name} label={label} />;
    return <ArrayFields schema={schema} name={name} label={label} />;
  }
  if (schema instanceof z.ZodNumber) {
    const step = schema.isInt ? 1 : 'any';
    return (
      <LeafField
        {...props}
        hint={hint}
        widget={typed<number>((p) => (
          <input
            id={p.id}
            type="number"
            step={step}
            value={typeof p.value === 'number' && !Number.isNaN(p.value) ? p.value : ''}
            onChange={(e) => p.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
            aria-invalid={p.invalid ? true : undefined}
            aria-describedby={p.describedBy}
          />
        ))}
      />
    );
  }
  if (schema instanceof z.ZodBoolean) {
    return (
      <LeafField
        {...props}
        widget={typed<boolean>((p) => (
          <input id={p.id} type="checkbox" checked={p.value === true} onChange={(e) => p.onChange(e.target.checked)} />
        ))}
      />
    );
  }
  if (schema instanceof z.ZodString) {
    return (
      <LeafField
        {...props}
        hint={hint}
        widget={typed<string>((p) =>
          props.multiline ? (
            <textarea
              id={p.id}
              rows={3}
              value={String(p.value ?? '')}
              onChange={(e) => p.onChange(e.target.value)}
              aria-invalid={p.invalid ? true : undefined}
            />
          ) : (
            <input
              id={p.id}
              value={String(p.value ?? '')}
              onChange={(e) => p.onChange(e.target.value)}
              aria-invalid={p.invalid ? true : undefined}
              aria-describedby={p.describedBy}
            />
          ),
        )}
      />
    );
  }
  // JSON values and records (a webhook body): edited as JSON text.
  return (
    <LeafField
      {...props}
      hint={hint}
      widget={typed<unknown>((p) => (
        <JsonInput {...p} />
      ))}
    />
  );
}

function WeekdaysField({ name, label }: { name: string; label: string }) {
  const id = useId();
  const { field, fieldState } = useController({ name });
  return (
    <div className="field">
      <WeekdayChecks id={id} legend={label} value={field.value as string[]} onChange={field.onChange} />
      {fieldState.error && <span className="field-error">{fieldState.error.message}</span>}
    </div>
  );
}

export function SchemaField(props: FieldProps) {
  const { schema, optional, hasDefault } = unwrap(props.schema);
  if (optional && !hasDefault) return <OptionalField {...props} inner={schema} />;
  return <RequiredField {...props} schema={schema} />;
}

/** The fields of an object schema without a box around them (the top of a form). */
export function SchemaFields({ schema, name = '' }: { schema: z.ZodObject; name?: string }) {
  return <ObjectFields schema={schema} name={name} label="" root />;
}
