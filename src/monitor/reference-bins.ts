import { binIndex, maxBins } from './bin-window.js';

/** One feature's reference for the `drift` section: cut points and the share of samples per bin. */
export interface ReferenceBins {
  readonly edges: number[];
  readonly proportions: number[];
}

/** Significant digits kept of an edge: the manifest stays readable, and the bins barely move. */
const edgeDigits = 6;

/**
 * Reference bins for one feature from its sample values (NaN and infinities left out): edges at
 * the `bins`-quantiles, so each bin holds about as many samples, and the share of the samples
 * in each bin, counted with the rule the runtime bins by (`binIndex`). Ties make fewer bins: a
 * 0/1 feature gets one edge, at 1. Undefined when no value is finite.
 *
 * @example
 * referenceBins([1, 2, 3, 4, 5, 6, 7, 8], { bins: 4 }); // { edges: [3, 5, 7], proportions: [0.25, 0.25, 0.25, 0.25] }
 */
export function referenceBins(values: ArrayLike<number>, { bins = 10 }: { bins?: number } = {}): ReferenceBins | undefined {
  const sorted = Float64Array.from(values).filter(Number.isFinite).sort();
  const n = sorted.length;
  if (n === 0) return undefined;
  const wanted = Math.max(1, Math.min(Math.floor(bins), maxBins, n));
  const low = sorted[0] as number;
  const edges: number[] = [];
  for (let i = 1; i < wanted; i++) {
    const edge = Number((sorted[Math.floor((i * n) / wanted)] as number).toPrecision(edgeDigits));
    // An edge at the minimum would make an always-empty first bin; equal edges make empty bins.
    if (edge > low && edge > (edges.at(-1) ?? Number.NEGATIVE_INFINITY)) edges.push(edge);
  }
  // A constant feature still needs one edge: everything from it up is one bin, anything below another.
  if (edges.length === 0) edges.push(Number(low.toPrecision(edgeDigits)));
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const value of sorted) {
    const bin = binIndex(edges, value);
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return { edges, proportions: counts.map((count) => Number((count / n).toFixed(6))) };
}
