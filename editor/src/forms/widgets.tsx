import { useId, useState } from 'react';
import { Link } from 'react-router';
import { Weekday } from '../../../engine/playbook/durations.js';
import { humanize, weekdayName } from '../ui/words.js';
import { useFormCatalogue } from './catalogue-context.js';

// Widgets for the engine's named field types. Each is controlled (value in, onChange out) and leaves checking
// to the schema: what a person types is passed on as typed, and the form shows the schema's message.

export interface WidgetProps<T> {
  id: string;
  value: T | undefined;
  onChange: (value: T | undefined) => void;
  invalid?: boolean;
  describedBy?: string;
}

const aria = (props: { invalid?: boolean; describedBy?: string }) => ({
  'aria-invalid': props.invalid ? true : undefined,
  'aria-describedby': props.describedBy,
});

export function TimeOfDayInput(props: WidgetProps<string>) {
  return (
    <input
      id={props.id}
      type="time"
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.target.value)}
      {...aria(props)}
    />
  );
}

/** An account field picked from the install's vocabulary (built-in and custom), with its type. */
export function AccountFieldSelect(props: WidgetProps<string>) {
  const { vocabulary } = useFormCatalogue();
  const names = Object.keys(vocabulary).sort();
  const value = props.value ?? '';
  return (
    <select id={props.id} value={value} onChange={(e) => props.onChange(e.target.value)} {...aria(props)}>
      <option value="">Choose a field…</option>
      {!names.includes(value) && value !== '' && <option value={value}>{value} (unknown)</option>}
      {names.map((name) => (
        <option key={name} value={name}>
          {name} ({vocabulary[name]?.type})
        </option>
      ))}
    </select>
  );
}

/** An event name: the well-known catalogue is offered, any other valid name is a custom event. */
export function EventNameInput(props: WidgetProps<string>) {
  const { events } = useFormCatalogue();
  const list = useId();
  return (
    <>
      <input
        id={props.id}
        list={list}
        value={props.value ?? ''}
        placeholder="e.g. value.first"
        onChange={(e) => props.onChange(e.target.value)}
        {...aria(props)}
      />
      <datalist id={list}>
        {events.map((event) => (
          <option key={event} value={event} />
        ))}
      </datalist>
    </>
  );
}

/**
 * A person of this install by email (an assignOwner step's CSM, or a team by its manager): its CSMs or its managers
 * are offered, any other address may be typed and the compiler says it is not there. Nothing is offered to a
 * reader who may not see the install's people.
 */
export function PersonInput(props: WidgetProps<string> & { who: 'csm' | 'team' }) {
  const { people } = useFormCatalogue();
  const list = useId();
  return (
    <>
      <input
        id={props.id}
        type="email"
        list={list}
        value={props.value ?? ''}
        placeholder="name@yourco.example"
        onChange={(e) => props.onChange(e.target.value)}
        {...aria(props)}
      />
      <datalist id={list}>
        {(props.who === 'csm' ? people.csms : people.managers).map((email) => (
          <option key={email} value={email} />
        ))}
      </datalist>
    </>
  );
}

/** An email template of this install, with a way to open it in the template editor. */
export function TemplatePicker(props: WidgetProps<string>) {
  const { templates } = useFormCatalogue();
  const value = props.value ?? '';
  const known = templates.some((t) => t.key === value);
  return (
    <div className="row">
      <select id={props.id} value={value} onChange={(e) => props.onChange(e.target.value)} {...aria(props)}>
        <option value="">Choose a template…</option>
        {!known && value !== '' && <option value={value}>{value} (not found)</option>}
        {templates.map((t) => (
          <option key={t.key} value={t.key}>
            {t.name} ({t.key})
          </option>
        ))}
      </select>
      {value !== '' && (
        <Link to={`/templates/${encodeURIComponent(value)}`} target="_blank" rel="noopener">
          {known ? 'Edit template' : 'Create template'}
        </Link>
      )}
    </div>
  );
}

export function WeekdayChecks(props: WidgetProps<string[]> & { legend: string }) {
  const chosen = new Set(props.value ?? []);
  const toggle = (day: string) =>
    props.onChange(Weekday.options.filter((d) => (d === day ? !chosen.has(d) : chosen.has(d))));
  return (
    <fieldset className="weekdays" id={props.id} aria-describedby={props.describedBy}>
      <legend>{props.legend}</legend>
      {Weekday.options.map((day) => (
        <label key={day} title={weekdayName(day)}>
          <input type="checkbox" checked={chosen.has(day)} onChange={() => toggle(day)} />
          {weekdayName(day, 'short')}
        </label>
      ))}
    </fieldset>
  );
}

/** JSON typed by hand (a webhook body): kept as text until it parses, so half-typed JSON is not lost. */
export function JsonInput(props: WidgetProps<unknown>) {
  const [text, setText] = useState(() => (props.value === undefined ? '' : JSON.stringify(props.value, null, 2)));
  const [problem, setProblem] = useState<string>();
  return (
    <>
      <textarea
        id={props.id}
        rows={5}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setProblem(undefined);
            return props.onChange(undefined);
          }
          try {
            props.onChange(JSON.parse(e.target.value) as unknown);
            setProblem(undefined);
          } catch (error) {
            setProblem((error as Error).message);
          }
        }}
        {...aria({ ...props, invalid: props.invalid || problem !== undefined })}
      />
      {problem && <span className="field-error">Not JSON yet: {problem}</span>}
    </>
  );
}

type Scalar = string | number | boolean | null;
const typeOfScalar = (value: Scalar | undefined) =>
  value === null ? 'null' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';

/** A value of one of the schema's plain types (text, number, true/false, no value), picked then typed. */
export function ScalarInput(props: WidgetProps<Scalar> & { kinds: readonly string[] }) {
  const kind = typeOfScalar(props.value);
  const convert = (to: string): Scalar =>
    to === 'null'
      ? null
      : to === 'number'
        ? Number(props.value) || 0
        : to === 'boolean'
          ? Boolean(props.value)
          : String(props.value ?? '');
  return (
    <div className="row">
      <select aria-label="Kind of value" value={kind} onChange={(e) => props.onChange(convert(e.target.value))}>
        {props.kinds.map((k) => (
          <option key={k} value={k}>
            {k === 'null' ? 'no value' : k === 'boolean' ? 'yes / no' : humanize(k)}
          </option>
        ))}
      </select>
      {kind === 'string' && (
        <input
          id={props.id}
          value={String(props.value ?? '')}
          onChange={(e) => props.onChange(e.target.value)}
          {...aria(props)}
        />
      )}
      {kind === 'number' && (
        <input
          id={props.id}
          type="number"
          value={String(props.value)}
          onChange={(e) => props.onChange(e.target.value === '' ? 0 : Number(e.target.value))}
          {...aria(props)}
        />
      )}
      {kind === 'boolean' && (
        <select
          id={props.id}
          value={String(props.value)}
          onChange={(e) => props.onChange(e.target.value === 'true')}
          {...aria(props)}
        >
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      )}
    </div>
  );
}

/** A step of this playbook, by id (scripted approvals and failures in the preview name the step they are about). */
export function StepPicker(props: WidgetProps<string>) {
  const { steps } = useFormCatalogue();
  const value = props.value ?? '';
  return (
    <select id={props.id} value={value} onChange={(e) => props.onChange(e.target.value)} {...aria(props)}>
      <option value="">Choose a step…</option>
      {value !== '' && !steps.some((s) => s.id === value) && (
        <option value={value}>{value} (not in the playbook)</option>
      )}
      {steps.map((s) => (
        <option key={s.id} value={s.id}>
          {s.label} ({s.id})
        </option>
      ))}
    </select>
  );
}
