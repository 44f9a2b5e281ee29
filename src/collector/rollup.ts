import { bucketBounds, bucketOf, Histogram } from '../monitor/histogram.js';
import type { Beacon, HistogramDelta, VitalRecord } from '../telemetry/beacon.js';

/**
 * What the collector keeps of beacons' figures: one row per minute, model version and backend
 * (and per minute and web vital), every beacon of that minute added in. Histograms share the
 * runtime's buckets, so adding counts is exact; the query API merges the minutes of a window
 * and reads percentiles from the sum. A dashboard over a week reads thousands of rows, not the
 * millions of beacons behind them, and a beacon costs the writer no new row of its own.
 */
export const slotMs = 60_000;

/** Sparse counts per bucket of `bucketBounds`, and their total and sum, as JSON keeps them. */
export interface BucketCounts {
  /** `{ "<bucket index>": count }`. */
  readonly buckets: Record<string, number>;
  count: number;
  sum: number;
}

/** One minute of one model version on one backend. */
export interface RunSlot {
  runs: number;
  /** Failed calls by error code. */
  readonly errors: Record<string, number>;
  feedbackCount: number;
  feedbackCorrect: number;
  /** By phase (and `absoluteError`). */
  readonly histograms: Record<string, BucketCounts>;
}

/** One minute of one web vital: counts by rating, and the values in `bucketBounds` buckets (seconds; CLS as is). */
export interface VitalSlot {
  good: number;
  needsImprovement: number;
  poor: number;
  readonly values: BucketCounts;
}

export const emptyRunSlot = (): RunSlot => ({ runs: 0, errors: {}, feedbackCount: 0, feedbackCorrect: 0, histograms: {} });
export const emptyVitalSlot = (): VitalSlot => ({ good: 0, needsImprovement: 0, poor: 0, values: emptyCounts() });
const emptyCounts = (): BucketCounts => ({ buckets: {}, count: 0, sum: 0 });

/** The start of the minute `at` falls in. */
export const slotOf = (at: number): number => Math.floor(at / slotMs) * slotMs;

/** `runSlotKey(slot, model, version, backend)`: the rollup rows a group of beacons touches. */
export const runSlotKey = (slot: number, model: string, version: string, backend: string): string =>
  JSON.stringify([slot, model, version, backend]);

/** Adds a beacon's figures to the slots of `runs` and `vitals` (keyed by `runSlotKey` and `[slot, name]`). */
export function addBeacon(beacon: Beacon, runs: Map<string, RunSlot>, vitals: Map<string, VitalSlot>): void {
  const slot = slotOf(beacon.sentAt);
  for (const m of beacon.metrics) {
    const key = runSlotKey(slot, m.model, m.version, m.backend);
    const into = entryOf(runs, key, emptyRunSlot);
    into.runs += m.runs;
    addCounts(into.errors, m.errors);
    into.feedbackCount += m.feedback?.count ?? 0;
    into.feedbackCorrect += m.feedback?.correct ?? 0;
    for (const [phase, delta] of Object.entries(m.histograms)) {
      into.histograms[phase] ??= emptyCounts();
      addDelta(into.histograms[phase], delta);
    }
  }
  for (const v of beacon.vitals) {
    const key = JSON.stringify([slot, v.name]);
    const into = entryOf(vitals, key, emptyVitalSlot);
    into[ratingKeys[v.rating]]++;
    addValue(into.values, v);
  }
}

/** `map`'s entry for `key`, made and added first if missing. */
export function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = make();
    map.set(key, entry);
  }
  return entry;
}

const ratingKeys = { good: 'good', 'needs-improvement': 'needsImprovement', poor: 'poor' } as const;

/** Adds `other` (a stored slot) into `into`. */
export function mergeRunSlot(into: RunSlot, other: RunSlot): void {
  into.runs += other.runs;
  addCounts(into.errors, other.errors);
  into.feedbackCount += other.feedbackCount;
  into.feedbackCorrect += other.feedbackCorrect;
  for (const [phase, counts] of Object.entries(other.histograms)) {
    into.histograms[phase] ??= emptyCounts();
    mergeCounts(into.histograms[phase], counts);
  }
}

export function mergeVitalSlot(into: VitalSlot, other: VitalSlot): void {
  into.good += other.good;
  into.needsImprovement += other.needsImprovement;
  into.poor += other.poor;
  mergeCounts(into.values, other.values);
}

export function mergeCounts(into: BucketCounts, other: BucketCounts): void {
  addCounts(into.buckets, other.buckets);
  into.count += other.count;
  into.sum += other.sum;
}

/** The `q` quantile of counts (interpolated inside its bucket, as the runtime's histograms are); null when empty. */
export function quantileOf(counts: BucketCounts, q: number): number | null {
  if (counts.count === 0) return null;
  const histogram = new Histogram();
  const dense = new Array<number>(bucketBounds.length + 1).fill(0);
  for (const [i, n] of Object.entries(counts.buckets)) dense[Number(i)] = n;
  // The overflow bucket has no upper bound of its own: take one step past the last.
  const max = (bucketBounds.at(-1) as number) * 2 ** 0.25;
  histogram.merge({ counts: dense, count: counts.count, sum: counts.sum, min: 0, max });
  return histogram.quantile(q);
}

function addDelta(into: BucketCounts, delta: HistogramDelta): void {
  for (const [i, n] of delta.buckets) into.buckets[i] = (into.buckets[i] ?? 0) + n;
  into.count += delta.count;
  into.sum += delta.sum;
}

/** A vital's value in the shared buckets: milliseconds as seconds, CLS as it is. */
function addValue(into: BucketCounts, vital: VitalRecord): void {
  const value = vital.name === 'CLS' ? vital.value : vital.value / 1000;
  const bucket = bucketOf(value);
  into.buckets[bucket] = (into.buckets[bucket] ?? 0) + 1;
  into.count++;
  into.sum += value;
}

function addCounts(into: Record<string, number>, other: Readonly<Record<string, number>>): void {
  for (const [key, n] of Object.entries(other)) into[key] = (into[key] ?? 0) + n;
}
