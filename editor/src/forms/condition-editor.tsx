import { createContext, useContext, useId } from 'react';
import { get, useController, useFormContext } from 'react-hook-form';
import { accountField } from '../../../engine/playbook/account-fields.js';
import {
  ConditionOperator,
  type DateMeasure,
  FieldCondition,
  MEASURE_OPERATORS,
  type Condition,
  type ConditionValue,
} from '../../../engine/playbook/conditions.js';
import { humanize } from '../ui/words.js';
import { useFormCatalogue } from './catalogue-context.js';
import { ScalarInput } from './widgets.js';
import { initialValueOf } from './zod-walk.js';

// Conditions are the engine's JSON AST ({ all }, { any }, { not }, { field, op, value }); this edits that AST as
// nested rows, offering the install's account fields and values of the field's own type.

type Kind = 'field' | 'all' | 'any' | 'not';
const kindOf = (c: Condition | undefined): Kind =>
  c && 'all' in c ? 'all' : c && 'any' in c ? 'any' : c && 'not' in c ? 'not' : 'field';
const newComparison = () => initialValueOf(FieldCondition) as Condition;

function convert(kind: Kind, current: Condition): Condition {
  if (kind === kindOf(current)) return current;
  const inner = kindOf(current) === 'field' ? current : newComparison();
  if (kind === 'all') return { all: [inner] };
  if (kind === 'any') return { any: [inner] };
  if (kind === 'not') return { not: inner };
  return newComparison();
}

const KIND_WORDS: Record<Kind, string> = { field: 'Compare a field', all: 'All of', any: 'Any of', not: 'Not' };

function ValueInput(props: {
  field: string;
  op: string;
  measure?: DateMeasure | undefined;
  value: ConditionValue | undefined;
  onChange: (v: ConditionValue | undefined) => void;
}) {
  const { vocabulary } = useFormCatalogue();
  const id = useId();
  const spec = props.field.startsWith('account.') ? accountField(vocabulary, props.field.slice(8)) : undefined;
  if (props.op === 'exists') return null;
  if (props.measure) {
    return (
      <>
        <label htmlFor={id}>Days</label>
        <input
          id={id}
          type="number"
          step={1}
          value={typeof props.value === 'number' ? props.value : ''}
          onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      </>
    );
  }
  if (props.op === 'in') {
    const list = Array.isArray(props.value) ? props.value : [];
    if (spec?.values) {
      return (
        <fieldset className="weekdays">
          <legend>Values</legend>
          {spec.values.map((v) => (
            <label key={v}>
              <input
                type="checkbox"
                checked={list.includes(v)}
                onChange={() => props.onChange(list.includes(v) ? list.filter((x) => x !== v) : [...list, v])}
              />
              {v}
            </label>
          ))}
        </fieldset>
      );
    }
    return (
      <>
        <label htmlFor={id}>Values (comma-separated)</label>
        <input
          id={id}
          value={list.map(String).join(', ')}
          onChange={(e) =>
            props.onChange(
              e.target.value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
                .map((s) => (spec?.type === 'number' && !Number.isNaN(Number(s)) ? Number(s) : s)),
            )
          }
        />
      </>
    );
  }
  const single = Array.isArray(props.value) ? undefined : props.value;
  if (spec?.values) {
    return (
      <>
        <label htmlFor={id}>Value</label>
        <select
          id={id}
          value={typeof single === 'string' ? single : ''}
          onChange={(e) => props.onChange(e.target.value)}
        >
          <option value="">Choose…</option>
          {spec.values.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </>
    );
  }
  if (spec?.type === 'date') {
    return (
      <>
        <label htmlFor={id}>Date</label>
        <input
          id={id}
          type="date"
          value={typeof single === 'string' ? single : ''}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </>
    );
  }
  const kinds = spec ? [spec.type, 'null'] : ['string', 'number', 'boolean', 'null'];
  return (
    <>
      <label htmlFor={id}>Value</label>
      <ScalarInput
        id={id}
        kinds={kinds}
        value={single ?? (spec?.type === 'number' ? 0 : spec?.type === 'boolean' ? false : '')}
        onChange={(v) => props.onChange(v)}
      />
    </>
  );
}

/**
 * Whether this condition may count days since or until a date: only a branch's (the compiler refuses it elsewhere,
 * `measure_not_here`: an exit or a filter is checked when something happens, not as days pass).
 */
const MeasuresAllowed = createContext(false);
const BRANCH_CONDITION = /(^|\.)conditions\.\d+\.when$/;

function ComparisonRow({
  value,
  onChange,
}: {
  value: Extract<Condition, { field: string }>;
  onChange: (c: Condition) => void;
}) {
  const { vocabulary, events } = useFormCatalogue();
  const fieldId = useId();
  const opId = useId();
  const measureId = useId();
  const list = useId();
  const spec = value.field.startsWith('account.') ? accountField(vocabulary, value.field.slice(8)) : undefined;
  // Days since/until are offered on date fields (tenure: "startDate more than 365 days ago").
  // A measure already there stays visible (and the compiler's refusal with it) wherever it was written.
  const measurable = (useContext(MeasuresAllowed) && spec?.type === 'date') || value.measure !== undefined;
  const operators = value.measure ? MEASURE_OPERATORS : ConditionOperator.options;
  return (
    <div className="condition-row">
      <label htmlFor={fieldId}>Field</label>
      <input
        id={fieldId}
        list={list}
        value={value.field}
        placeholder="account.segment"
        onChange={(e) => onChange({ ...value, field: e.target.value })}
      />
      <datalist id={list}>
        {Object.keys(vocabulary).map((name) => (
          <option key={name} value={`account.${name}`} />
        ))}
        {events.length > 0 && <option value="event.data." />}
      </datalist>
      {measurable && (
        <>
          <label htmlFor={measureId}>Compare</label>
          <select
            id={measureId}
            value={value.measure ?? ''}
            onChange={(e) => {
              const { measure: _old, value: _value, ...rest } = value;
              const measure = e.target.value as DateMeasure | '';
              // A date is compared with a date, a measure with a number of days: the value starts over.
              const op = MEASURE_OPERATORS.includes(rest.op) ? rest.op : 'gte';
              onChange(
                measure === ''
                  ? ({ ...rest, op, value: '' } as Condition)
                  : ({ ...rest, measure, op, value: 0 } as Condition),
              );
            }}
          >
            <option value="">the date</option>
            <option value="daysSince">days since the date</option>
            <option value="daysUntil">days until the date</option>
          </select>
        </>
      )}
      <label htmlFor={opId}>Test</label>
      <select
        id={opId}
        value={value.op}
        onChange={(e) => {
          const op = e.target.value as ConditionOperator;
          const { value: old, ...rest } = value;
          const next =
            op === 'exists'
              ? rest
              : op === 'in'
                ? { ...rest, value: Array.isArray(old) ? old : old === undefined ? [] : [old] }
                : { ...rest, value: Array.isArray(old) ? old[0] : old };
          onChange({ ...next, op } as Condition);
        }}
      >
        {operators.map((op) => (
          <option key={op} value={op}>
            {humanize(op)}
          </option>
        ))}
      </select>
      <ValueInput
        field={value.field}
        op={value.op}
        measure={value.measure}
        value={value.value}
        onChange={(v) => onChange({ ...value, value: v } as Condition)}
      />
    </div>
  );
}

function ConditionNode({
  value,
  onChange,
  depth,
}: {
  value: Condition;
  onChange: (c: Condition) => void;
  depth: number;
}) {
  const kind = kindOf(value);
  const id = useId();
  const children = 'all' in value ? value.all : 'any' in value ? value.any : undefined;
  const setChildren = (next: Condition[]) => onChange(kind === 'all' ? { all: next } : { any: next });
  return (
    <div className={`condition depth-${Math.min(depth, 3)}`}>
      <label htmlFor={id} className="visually-hidden">
        Kind of condition
      </label>
      <select id={id} value={kind} onChange={(e) => onChange(convert(e.target.value as Kind, value))}>
        {(Object.keys(KIND_WORDS) as Kind[]).map((k) => (
          <option key={k} value={k}>
            {KIND_WORDS[k]}
          </option>
        ))}
      </select>
      {kind === 'field' && 'field' in value && <ComparisonRow value={value} onChange={onChange} />}
      {kind === 'not' && 'not' in value && (
        <ConditionNode value={value.not} onChange={(c) => onChange({ not: c })} depth={depth + 1} />
      )}
      {children && (
        <div className="condition-children">
          {children.map((child, i) => (
            <div key={i} className="condition-child">
              <ConditionNode
                value={child}
                depth={depth + 1}
                onChange={(c) => setChildren(children.map((x, j) => (j === i ? c : x)))}
              />
              <button
                type="button"
                className="link danger"
                disabled={children.length <= 1}
                onClick={() => setChildren(children.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setChildren([...children, newComparison()])}>
            Add condition
          </button>
        </div>
      )}
    </div>
  );
}

function messagesUnder(error: unknown): string[] {
  if (!error || typeof error !== 'object') return [];
  const own =
    typeof (error as { message?: unknown }).message === 'string' ? [(error as { message: string }).message] : [];
  return [
    ...own,
    ...Object.entries(error)
      .filter(([key]) => key !== 'ref' && key !== 'message' && key !== 'type')
      .flatMap(([, inner]) => messagesUnder(inner)),
  ];
}

export function ConditionEditor({ name, label }: { name: string; label: string }) {
  const { field } = useController({ name });
  const { formState } = useFormContext();
  const problems = [...new Set(messagesUnder(get(formState.errors, name)))];
  const value = (field.value as Condition | undefined) ?? newComparison();
  return (
    <fieldset className="group">
      <legend>{label}</legend>
      <MeasuresAllowed.Provider value={BRANCH_CONDITION.test(name)}>
        <ConditionNode value={value} onChange={field.onChange} depth={0} />
      </MeasuresAllowed.Provider>
      {problems.map((p) => (
        <span key={p} className="field-error">
          {p}
        </span>
      ))}
    </fieldset>
  );
}
