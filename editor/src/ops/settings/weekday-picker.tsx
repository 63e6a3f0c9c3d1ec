import type { Weekday } from '../../../../engine/playbook/durations.js';

const DAYS: { day: Weekday; label: string }[] = [
  { day: 'mon', label: 'Mon' },
  { day: 'tue', label: 'Tue' },
  { day: 'wed', label: 'Wed' },
  { day: 'thu', label: 'Thu' },
  { day: 'fri', label: 'Fri' },
  { day: 'sat', label: 'Sat' },
  { day: 'sun', label: 'Sun' },
];

/** A row of day checkboxes (a fieldset, so a screen reader hears which set the days belong to). */
export function WeekdayPicker({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: readonly Weekday[];
  onChange: (days: Weekday[]) => void;
}) {
  return (
    <fieldset className="group">
      <legend>{legend}</legend>
      {DAYS.map(({ day, label }) => (
        <label key={day} className="check">
          <input
            type="checkbox"
            checked={value.includes(day)}
            onChange={(e) =>
              onChange(DAYS.map((d) => d.day).filter((d) => (d === day ? e.target.checked : value.includes(d))))
            }
          />{' '}
          {label}
        </label>
      ))}
    </fieldset>
  );
}
