// Counts and spans of time as people read them, shared by the web app and the CLI (pure: no Intl state, no zod).

/** The noun for a count: the plural unless there is exactly one ("1 account", "0 accounts"). */
export const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** A span of whole seconds in words: "under a second", "40 s", "3 min 20 s", "1 h 5 min" (seconds dropped). */
export function durationWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s === 0) return 'under a second';
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round(s / 60);
  const h = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${h} h` : `${h} h ${minutes % 60} min`;
}
