/** Milliseconds one call takes. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One line of the bench table: the measured cost as a ratio of its baseline, measured in the same run. */
export function report(what: string, baselineName: string, baselineMs: number, measuredMs: number): void {
  const ratio = measuredMs / baselineMs;
  console.log(
    `${what.padEnd(48)} ${measuredMs.toFixed(0).padStart(7)} ms  = ${ratio.toFixed(1).padStart(5)}× ${baselineName} (${baselineMs.toFixed(0)} ms)`,
  );
}
