import { bucketBounds } from '../monitor/histogram.js';

/**
 * An OTLP explicit-bounds histogram's counts in the runtime's buckets (`bucketBounds`; index
 * `bucketBounds.length` is the overflow), added to `into` (one count per runtime bucket).
 *
 * Both put a value in the bucket whose upper bound is the first at least as large (OTLP's bucket
 * `i` is `(explicitBounds[i - 1], explicitBounds[i]]`, metrics.proto). So each OTLP bucket goes,
 * whole, to the runtime bucket that holds its upper bound, and the last (`+Inf`) to the
 * overflow: every value lands at or above where it was, never below, and a quantile read from
 * the result is never lower than the truth. When the bounds are the runtime's own, as
 * webinfer's OTLP transport sends them, each bucket lands on its own index and nothing moves.
 */
export function addToRuntimeBuckets(explicitBounds: readonly number[], bucketCounts: readonly number[], into: number[]): void {
  bucketCounts.forEach((n, i) => {
    if (n === 0) return;
    const upper = explicitBounds[i] ?? Number.POSITIVE_INFINITY;
    const bucket = runtimeBucketOf(upper);
    into[bucket] = (into[bucket] ?? 0) + n;
  });
}

/** The first runtime bucket whose bound is at least `value` (binary search); the overflow past them all. */
function runtimeBucketOf(value: number): number {
  let low = 0;
  let high = bucketBounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((bucketBounds[mid] as number) >= value) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Counts per runtime bucket as a beacon writes them: `[index, count]` for the buckets not empty. */
export function bucketPairs(counts: readonly number[]): [number, number][] {
  const pairs: [number, number][] = [];
  counts.forEach((n, i) => {
    if (n > 0) pairs.push([i, n]);
  });
  return pairs;
}
