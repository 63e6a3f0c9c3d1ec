/** Milliseconds one call takes. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The q-quantile (0..1) by nearest rank: p99 of 500 samples is the 495th smallest, a value that was measured. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** What a figure is held to: its sentence for the table, and whether this run met it. */
export interface Target {
  text: string;
  met: boolean;
}

/** One line of the bench: a measured cost against a baseline measured in the same run on the same machine. */
export interface Figure {
  bench: string;
  what: string;
  baselineName: string;
  baseline: number;
  measured: number;
  unit: string;
  /** measured / baseline, unless the bench gave another (a throughput: baseline time / measured time). */
  ratio: number;
  target?: Target;
  note?: string;
}

const figures: Figure[] = [];
let currentBench = 'bench';

/** Every figure recorded so far, for the JSON file. */
export const recordedFigures = (): readonly Figure[] => figures;

/** Names the bench whose figures follow (a heading in the table, a key in the JSON). */
export function startBench(name: string, description: string): void {
  currentBench = name;
  console.log(`\n── ${name}: ${description}`);
}

export interface FigureOptions {
  unit?: string;
  /** The ratio when it is not measured / baseline (throughput: higher is better, so baseline time / measured time). */
  ratio?: number;
  /** The target, checked against the ratio unless `met` says otherwise. */
  target?: { text: string; met: (ratio: number) => boolean } | Target;
  note?: string;
}

/** One line of the bench table: the measured cost as a ratio of its baseline, measured in the same run. */
export function report(
  what: string,
  baselineName: string,
  baseline: number,
  measured: number,
  options: FigureOptions = {},
): Figure {
  const unit = options.unit ?? 'ms';
  const ratio = options.ratio ?? measured / baseline;
  const given = options.target;
  const target = given && { text: given.text, met: typeof given.met === 'boolean' ? given.met : given.met(ratio) };
  const figure: Figure = { bench: currentBench, what, baselineName, baseline, measured, unit, ratio, target };
  if (options.note) figure.note = options.note;
  figures.push(figure);
  const amount = (value: number) => `${formatNumber(value)} ${unit}`;
  const verdict = target ? `  [${target.met ? 'met' : 'MISSED'}: ${target.text}]` : '';
  console.log(
    `${what.padEnd(56)} ${amount(measured).padStart(12)} = ${ratio.toFixed(2).padStart(6)}× ${baselineName} (${amount(baseline)})${verdict}`,
  );
  if (options.note) console.log(`${''.padEnd(58)}${options.note}`);
  return figure;
}

/** Three significant digits for small values, whole numbers for large ones: 0.0213, 4.71, 38.2, 1234. */
export const formatNumber = (value: number) =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toPrecision(3);

/** A line with no ratio of its own (a count, a load average): shown and kept in the JSON beside the figures. */
export function note(text: string): void {
  console.log(`  · ${text}`);
  notes.push({ bench: currentBench, text });
}
const notes: { bench: string; text: string }[] = [];
export const recordedNotes = () => notes;
