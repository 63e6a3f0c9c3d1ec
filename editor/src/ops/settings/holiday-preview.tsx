import { useAsync } from '../../ui/use-async.js';
import { AsyncView } from '../ui/async-view.js';
import { sendingApi } from './sending-api.js';

/** This year's public holidays for a country code, so the operator sees what the code means before saving. */
export function HolidayPreview({ country }: { country: string }) {
  const year = new Date().getFullYear();
  const holidays = useAsync((signal) => sendingApi.holidays(country, year, signal), [country, year]);
  return (
    <details className="holiday-preview">
      <summary>
        Public holidays of {country} in {year}
      </summary>
      <AsyncView state={holidays} what="holidays" isEmpty={(d) => d.holidays.length === 0}>
        {(data) => (
          <ul>
            {data.holidays.map((h) => (
              <li key={h.date}>
                <time dateTime={h.date}>{h.date}</time> {h.name}
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </details>
  );
}
