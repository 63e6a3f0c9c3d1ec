/**
 * A spreadsheet export of `count` accounts, as a CS team would import it: quoted names with commas, three
 * segments, two locales and time zones, 25 CSMs, renewal dates spread over a year. The import test and the bench
 * both load it, so their numbers describe the same file. `dates: false` leaves out the start and renewal dates:
 * imported with dates, every new account's workflow hears of them and date-timed seeds enroll it (catch-up), which
 * on a shared test stack keeps the dev server busy for minutes with 10,000 accounts.
 */
export function sampleAccountsCsv(
  count: number,
  externalId: (i: number) => string,
  opts: { dates?: boolean } = {},
): string {
  const dates = opts.dates ?? true;
  const header = `external_id,name,segment,owner_csm_email,locale,time_zone,plan,mrr${dates ? ',start_date,renewal_date' : ''}`;
  const segments = ['high-touch', 'mid-touch', 'tech-touch'];
  const rows = Array.from({ length: count }, (_, i) =>
    [
      externalId(i),
      `"Bulk ${i}, S.A."`,
      segments[i % 3],
      `csm${i % 25}@cs.example`,
      i % 2 ? 'es' : 'en',
      i % 2 ? 'America/Mexico_City' : 'Europe/Madrid',
      'growth',
      (i * 7) % 5000,
      ...(dates ? ['2025-01-15', `2027-${String((i % 12) + 1).padStart(2, '0')}-01`] : []),
    ].join(','),
  );
  return [header, ...rows].join('\n');
}
