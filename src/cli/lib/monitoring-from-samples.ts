import { confidenceDefaults, isLowConfidence } from '../../monitor/confidence-watch.js';
import type { DriftReference } from '../../monitor/drift-schema.js';
import { referenceBins } from '../../monitor/reference-bins.js';
import type { Monitoring } from '../../monitor/schema.js';

/**
 * One sample of a tensor, as a samples file gives it: a number (one value), an array of numbers
 * (one row: a value per feature), or nested arrays (whose innermost arrays are rows). `null` is a
 * missing value.
 */
export type Sample = number | null | readonly Sample[];

/** What the reference is built from. */
export interface SampleSet {
  /** Samples per input or output name. */
  readonly tensors: Readonly<Record<string, readonly Sample[]>>;
  /** Names binned by the mean of each sample (`item-mean`: images, audio) instead of by column. */
  readonly summarize?: readonly string[];
  /** Bins per feature (default 5). */
  readonly bins?: number;
  /** The classifier output to watch, and its rows of scores as the app sees them. */
  readonly confidence?: { readonly output: string; readonly rows: readonly (readonly number[])[] };
}

/** A sample's values, flattened. */
export function flatValues(sample: Sample): number[] {
  if (sample === null) return [Number.NaN];
  if (typeof sample === 'number') return [sample];
  return sample.flatMap(flatValues);
}

/** A sample's rows: its innermost arrays (a lone number is a row of one). */
export function sampleRows(sample: Sample): number[][] {
  if (sample === null || typeof sample === 'number') return [flatValues(sample)];
  if (sample.every((item) => item === null || typeof item === 'number')) return [flatValues(sample)];
  return sample.flatMap(sampleRows);
}

/**
 * The `monitoring` section for a set of samples: for each tensor, the range of its finite values
 * and its reference bins, per column (or of the whole tensor, and of each sample's mean, for the
 * `summarize` names); for a
 * classifier output, the share of unsure rows (Laplace-smoothed, so a sample with none still
 * expects a few). Throws a `RangeError` naming the tensor when its rows differ in width or a
 * column has no finite value.
 */
export function monitoringFromSamples({ tensors, summarize = [], bins = 5, confidence }: SampleSet): Monitoring {
  const ranges: NonNullable<Monitoring['ranges']> = {};
  const reference: Record<string, DriftReference> = {};
  for (const [name, samples] of Object.entries(tensors)) {
    if (samples.length === 0) continue;
    if (summarize.includes(name)) {
      const range = valueRange(samples.flatMap(flatValues));
      if (range) ranges[name] = range;
      reference[name] = itemMeanReference(name, samples, bins);
      continue;
    }
    const columns = sampleColumns(name, samples);
    const perColumn = columns.map(valueRange);
    if (perColumn.every((range) => range !== undefined)) {
      ranges[name] =
        perColumn.length === 1
          ? (perColumn[0] as { min: number; max: number })
          : { min: perColumn.map((range) => range.min), max: perColumn.map((range) => range.max) };
    }
    reference[name] = {
      features: columns.map((values, column) => {
        const found = referenceBins(values, { bins });
        if (!found) throw new RangeError(`"${name}": column ${column} has no finite value`);
        return found;
      }),
    };
  }
  return {
    ...(Object.keys(ranges).length > 0 ? { ranges } : {}),
    ...(Object.keys(reference).length > 0 ? { drift: { reference } } : {}),
    ...(confidence ? { confidence: { output: confidence.output, expected: unsureShare(confidence.rows) } } : {}),
  };
}

/** The values of each column of a tensor's rows. */
function sampleColumns(name: string, samples: readonly Sample[]): number[][] {
  const rows = samples.flatMap(sampleRows);
  const width = rows[0]?.length ?? 0;
  const uneven = rows.find((row) => row.length !== width);
  if (uneven) throw new RangeError(`"${name}": rows of ${width} and of ${uneven.length} values; every row needs the same width`);
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column] as number));
}

/** The least and greatest finite value, if any. */
function valueRange(values: readonly number[]): { min: number; max: number } | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? { min, max } : undefined;
}

function itemMeanReference(name: string, samples: readonly Sample[], bins: number): DriftReference {
  const means = samples.map((sample) => {
    const finite = flatValues(sample).filter(Number.isFinite);
    return finite.length > 0 ? finite.reduce((sum, x) => sum + x, 0) / finite.length : Number.NaN;
  });
  const found = referenceBins(means, { bins });
  if (!found) throw new RangeError(`"${name}": no sample has a finite value`);
  return { sample: 'item-mean', features: [found] };
}

/** The share of unsure rows at the runtime's default thresholds, (unsure + 1) / (rows + 2). */
function unsureShare(rows: readonly (readonly number[])[]): number {
  const unsure = rows.filter((row) => isLowConfidence(row, confidenceDefaults)).length;
  return Number(((unsure + 1) / (rows.length + 2)).toFixed(4));
}
