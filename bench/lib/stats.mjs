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
