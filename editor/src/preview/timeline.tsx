import { DateTime } from 'luxon';
import type { TimelineEntry } from '../../../engine/interpreter/types.js';
import { humanize } from '../ui/words.js';

/** Groups a run's story by local day of the account ("Day 4 · Thu 6 Mar"), in its order. */
export function daysOf(timeline: readonly TimelineEntry[], zone: string) {
  const days: { day: number; date: string; entries: (TimelineEntry & { time: string })[] }[] = [];
  for (const entry of timeline) {
    const local = DateTime.fromISO(entry.at, { zone: 'utc' }).setZone(zone);
    const date = local.isValid ? local.toFormat('ccc d LLL yyyy') : entry.at.slice(0, 10);
    const last = days[days.length - 1];
    const row = { ...entry, time: local.isValid ? local.toFormat('HH:mm') : entry.at.slice(11, 16) };
    if (last && last.date === date) last.entries.push(row);
    else days.push({ day: entry.day, date, entries: [row] });
  }
  return days;
}

export function Timeline({
  timeline,
  zone,
  onFocusStep,
}: {
  timeline: readonly TimelineEntry[];
  zone: string;
  onFocusStep?: (nodeId: string) => void;
}) {
  return (
    <ol className="timeline" data-testid="timeline" aria-label={`Timeline in ${zone}`}>
      {daysOf(timeline, zone).map((day) => (
        <li key={`${day.day}-${day.date}`} className="timeline-day">
          <h3>
            Day {day.day} · {day.date}
          </h3>
          <ul>
            {day.entries.map((entry, i) => (
              <li key={i} className={`timeline-entry kind-${entry.kind}`}>
                <time dateTime={entry.at}>{entry.time}</time>
                <span className="badge">{humanize(entry.kind)}</span>
                {onFocusStep ? (
                  <button type="button" className="link" onClick={() => onFocusStep(entry.nodeId)}>
                    {entry.summary}
                  </button>
                ) : (
                  <span>{entry.summary}</span>
                )}
                {entry.why && <span className="why">{entry.why}</span>}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
