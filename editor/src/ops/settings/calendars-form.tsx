import { useState } from 'react';
import { Segment } from '../../../../engine/playbook/account-fields.js';
import {
  CalendarSettings,
  HolidayCountry,
  type CalendarOverride,
  type Closure,
  type SendWindowRule,
} from '../../../../engine/time/calendar-settings.js';
import { ErrorMessage } from '../../ui/states.js';
import { FormIssues } from './form-issues.js';
import { useCheckedSave } from './use-checked-save.js';
import { HolidayPreview } from './holiday-preview.js';
import { sendingApi, type Stored } from './sending-api.js';
import { WeekdayPicker } from './weekday-picker.js';

// The install's business calendar and send window, and each segment's own. Account overrides exist in the API
// (PUT /api/settings/calendars, `accounts`) and are kept as they are by this form.

function WindowFields({
  idBase,
  value,
  onChange,
}: {
  idBase: string;
  value: SendWindowRule;
  onChange: (w: SendWindowRule) => void;
}) {
  return (
    <div className="row">
      <WeekdayPicker legend="Days emails go out" value={value.days} onChange={(days) => onChange({ ...value, days })} />
      <label className="field" htmlFor={`${idBase}-from`}>
        <span>From</span>
        <input
          id={`${idBase}-from`}
          type="time"
          value={value.from}
          onChange={(e) => onChange({ ...value, from: e.target.value })}
        />
      </label>
      <label className="field" htmlFor={`${idBase}-to`}>
        <span>To (quiet hours after)</span>
        <input
          id={`${idBase}-to`}
          type="time"
          value={value.to}
          onChange={(e) => onChange({ ...value, to: e.target.value })}
        />
      </label>
    </div>
  );
}

function ClosureRows({ value, onChange }: { value: Closure[]; onChange: (c: Closure[]) => void }) {
  const set = (i: number, patch: Partial<Closure>) => onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <fieldset className="group">
      <legend>Company closures (no business day, no email)</legend>
      {value.length === 0 && <p className="muted">None.</p>}
      {value.map((closure, i) => (
        <div className="row" key={i} role="group" aria-label={`Closure ${i + 1}`}>
          <label className="field">
            <span>First day</span>
            <input type="date" value={closure.from} onChange={(e) => set(i, { from: e.target.value })} />
          </label>
          <label className="field">
            <span>Last day</span>
            <input type="date" value={closure.to} onChange={(e) => set(i, { to: e.target.value })} />
          </label>
          <label className="field">
            <span>Label</span>
            <input value={closure.label} onChange={(e) => set(i, { label: e.target.value })} />
          </label>
          <button type="button" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove closure {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...value, { from: '', to: '', label: '' }])}>
        Add a closure
      </button>
    </fieldset>
  );
}

function SegmentRow({
  segment,
  value,
  fallback,
  onChange,
}: {
  segment: string;
  value: CalendarOverride | undefined;
  fallback: SendWindowRule;
  onChange: (o: CalendarOverride | undefined) => void;
}) {
  const own = value?.sendWindow;
  const tidy = (o: CalendarOverride) => (Object.values(o).some((v) => v !== undefined) ? o : undefined);
  return (
    <fieldset className="card">
      <legend>{segment}</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={own !== undefined}
          onChange={(e) => onChange(tidy({ ...value, sendWindow: e.target.checked ? fallback : undefined }))}
        />{' '}
        Own send window
      </label>
      {own && (
        <WindowFields
          idBase={`segment-${segment}`}
          value={own}
          onChange={(w) => onChange({ ...value, sendWindow: w })}
        />
      )}
      <label className="field" htmlFor={`segment-${segment}-country`}>
        <span>Holiday country (blank: the install’s)</span>
        <input
          id={`segment-${segment}-country`}
          value={value?.holidayCountry ?? ''}
          onChange={(e) => onChange(tidy({ ...value, holidayCountry: e.target.value.trim() || undefined }))}
        />
      </label>
    </fieldset>
  );
}

export function CalendarsForm({ stored }: { stored: Stored<CalendarSettings> }) {
  const [draft, setDraft] = useState<CalendarSettings>(stored.value);
  const { save, issues, failure, saving, saved } = useCheckedSave(
    CalendarSettings,
    sendingApi.saveCalendars,
    // The answer is what is stored now; the form stays (no reload), so its notice stays too.
    (answer) => setDraft(answer.value),
  );
  const install = draft.install;
  const setInstall = (patch: Partial<CalendarSettings['install']>) =>
    setDraft({ ...draft, install: { ...install, ...patch } });

  return (
    <form
      aria-label="Business calendars and send windows"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(draft);
      }}
    >
      <h2>Business calendar</h2>
      <p className="muted">
        Waits in business days skip these days, and no email goes out on them. Runs keep the calendar they were enrolled
        with; previews use it at once.
      </p>
      <WeekdayPicker legend="Weekend" value={install.weekend} onChange={(weekend) => setInstall({ weekend })} />
      <label className="field" htmlFor="install-country">
        <span>Public holidays of (country code: MX, ES, ES-MD…; blank for none)</span>
        <input
          id="install-country"
          value={install.holidayCountry ?? ''}
          onChange={(e) => setInstall({ holidayCountry: e.target.value.trim().toUpperCase() || null })}
        />
      </label>
      {install.holidayCountry && HolidayCountry.safeParse(install.holidayCountry).success && (
        <HolidayPreview country={install.holidayCountry} />
      )}
      <label className="field" htmlFor="country-field">
        <span>Account field naming each account’s holiday country (blank: none)</span>
        <input
          id="country-field"
          value={draft.countryField ?? ''}
          onChange={(e) => setDraft({ ...draft, countryField: e.target.value.trim() || null })}
        />
      </label>
      <ClosureRows value={install.closures} onChange={(closures) => setInstall({ closures })} />

      <h2>Send window</h2>
      <p className="muted">
        Emails with the default window wait for these days and hours, in each account’s time zone.
      </p>
      <WindowFields idBase="install" value={install.sendWindow} onChange={(sendWindow) => setInstall({ sendWindow })} />

      <h2>By segment</h2>
      {Segment.options.map((segment) => (
        <SegmentRow
          key={segment}
          segment={segment}
          value={draft.segments[segment]}
          fallback={install.sendWindow}
          onChange={(o) => {
            const segments = { ...draft.segments };
            if (o) segments[segment] = o;
            else delete segments[segment];
            setDraft({ ...draft, segments });
          }}
        />
      ))}
      {Object.keys(draft.accounts).length > 0 && (
        <p className="muted">
          {Object.keys(draft.accounts).length} account(s) have their own calendar (set through the API); saving keeps
          them.
        </p>
      )}
      <FormIssues error={issues} />
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          Save calendars
        </button>
        {saved && (
          <span role="status" className="notice-ok">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
