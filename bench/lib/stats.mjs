/** Small statistics over samples of milliseconds. */

/**
 * @param {readonly number[]} samples
 * @param {number} q between 0 and 1
 */
export function quantile(samples, q) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = sorted[Math.floor(at)] ?? Number.NaN;
  const high = sorted[Math.ceil(at)] ?? low;
  return low + (high - low) * (at - Math.floor(at));
}

/** @param {readonly number[]} samples */
export const median = (samples) => quantile(samples, 0.5);

/**
 * The mean of the middle 80 %: for shares of a few µs, which 5 µs timer steps make medians of
 * (one step or the next) but which average out over thousands of calls.
 *
 * @param {readonly number[]} samples
 */
export function trimmedMean(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const kept = sorted.slice(Math.floor(sorted.length * 0.1), Math.ceil(sorted.length * 0.9));
  return kept.length === 0 ? Number.NaN : sum(kept) / kept.length;
}

/** @param {readonly number[]} samples */
export const sum = (samples) => samples.reduce((total, x) => total + x, 0);

/**
 * Element-wise `a[i] - b[i]`.
 *
 * @param {readonly number[]} a
 * @param {readonly number[]} b
 */
export const minus = (a, b) => a.map((x, i) => x - (b[i] ?? Number.NaN));

/**
 * Element-wise `a[i] / b[i]`.
 *
 * @param {readonly number[]} a
 * @param {readonly number[]} b
 */
export const ratios = (a, b) => a.map((x, i) => x / (b[i] ?? Number.NaN));
