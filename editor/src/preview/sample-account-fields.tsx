import { DateTime } from 'luxon';
import { useId } from 'react';
import { useController } from 'react-hook-form';
import type { AccountFieldSpec } from '../../../engine/playbook/account-fields.js';
import { useFormCatalogue } from '../forms/catalogue-context.js';
import { humanize } from '../ui/words.js';

// The sample account of the preview: its time zone, when it enrolls, and a value for each account field the
// install has (built-in and custom), with an input of the field's own type.

function FieldValue({ name, spec }: { name: string; spec: AccountFieldSpec }) {
  const id = useId();
  const { field } = useController({ name: `account.fields.${name}` });
  const value = field.value as unknown;
  const set = (v: unknown) => field.onChange(v === '' ? undefined : v);
  let input;
  if (spec.values) {
    input = (
      <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value)}>
        <option value="">no value</option>
        {spec.values.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    );
  } else if (spec.type === 'boolean') {
    input = <input id={id} type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} />;
  } else if (spec.type === 'number') {
    input = (
      <input
        id={id}
        type="number"
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => set(e.target.value === '' ? '' : Number(e.target.value))}
      />
    );
  } else {
    input = (
      <input
        id={id}
        type={spec.type === 'date' ? 'date' : 'text'}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => set(e.target.value)}
      />
    );
  }
  return (
    <div className="field inline">
      <label htmlFor={id}>{humanize(name, true)}</label>
      {input}
    </div>
  );
}

const ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

function TimeZoneField() {
  const id = useId();
  const list = useId();
  const { field, fieldState } = useController({ name: 'account.timeZone' });
  return (
    <div className="field inline">
      <label htmlFor={id}>Time zone</label>
      <input
        id={id}
        list={list}
        value={String(field.value ?? '')}
        onChange={field.onChange}
        aria-invalid={fieldState.error ? true : undefined}
      />
      <datalist id={list}>
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      {fieldState.error && <span className="field-error">{fieldState.error.message}</span>}
    </div>
  );
}

/** When the sample account enrolls, typed in the account's local time and kept as an ISO instant. */
function StartField({ zone }: { zone: string }) {
  const id = useId();
  const { field } = useController({ name: 'startAt' });
  const local =
    typeof field.value === 'string' ? DateTime.fromISO(field.value, { setZone: true }).setZone(zone) : undefined;
  return (
    <div className="field inline">
      <label htmlFor={id}>Enrolls at (local)</label>
      <input
        id={id}
        type="datetime-local"
        value={local?.isValid ? local.toFormat("yyyy-LL-dd'T'HH:mm") : ''}
        onChange={(e) => {
          const t = DateTime.fromISO(e.target.value, { zone });
          field.onChange(t.isValid ? t.toISO({ suppressMilliseconds: true }) : undefined);
        }}
      />
    </div>
  );
}

export function SampleAccountFields({ zone }: { zone: string }) {
  const { vocabulary } = useFormCatalogue();
  return (
    <fieldset className="group">
      <legend>Sample account</legend>
      <TimeZoneField />
      <StartField zone={zone} />
      {Object.entries(vocabulary)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, spec]) => (
          <FieldValue key={name} name={name} spec={spec} />
        ))}
    </fieldset>
  );
}
