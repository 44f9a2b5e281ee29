/**
 * What an empty bin counts as in the population stability index: without it one bin that the
 * reference or the window left empty makes the index infinite. 1e-4 is the usual choice
 * (Yurdakul, "Statistical properties of population stability index", 2018): small enough that a
 * value landing in a bin the reference never saw adds little, large enough to stay finite.
 */
export const emptyBinProportion = 1e-4;

/** One bin's share of the population stability index: (a − e)·ln(a / e), empty counted as 1e-4. */
export function stabilityTerm(actual: number, expected: number): number {
  const a = Math.max(actual, emptyBinProportion);
  const e = Math.max(expected, emptyBinProportion);
  return (a - e) * Math.log(a / e);
}

/** One bin's share of the Jensen–Shannon divergence, in bits (an empty side adds nothing). */
export function jensenShannonTerm(actual: number, expected: number): number {
  const m = (actual + expected) / 2;
  return ((actual > 0 ? actual * Math.log2(actual / m) : 0) + (expected > 0 ? expected * Math.log2(expected / m) : 0)) / 2;
}

/**
 * The population stability index of `actual` against `expected` (both proportions per bin,
 * each summing to 1): Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ), an empty bin counted as {@link emptyBinProportion}.
 * 0 for the same distribution; by custom under 0.1 is stable, 0.1–0.25 a moderate shift, over
 * 0.25 a large one. It is the symmetric (Jeffreys) Kullback–Leibler divergence, so for a window
 * of n samples in k bins drawn from the reference itself it is about χ²(k − 1) / n: noise that
 * a window too small or bins too many turn into false alarms.
 *
 * @example
 * populationStabilityIndex([0.5, 0.5], [0.25, 0.75]); // 0.25 · ln 3 ≈ 0.2747
 */
export function populationStabilityIndex(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let index = 0;
  for (let i = 0; i < expected.length; i++) index += stabilityTerm(actual[i] ?? 0, expected[i] ?? 0);
  return index;
}

/**
 * The Jensen–Shannon divergence of `actual` and `expected` (proportions per bin), in bits: the
 * mean Kullback–Leibler divergence of each from their average. Symmetric, between 0 and 1, and
 * finite with empty bins (no epsilon needed); for small shifts about PSI / (8 ln 2) ≈ PSI / 5.5.
 *
 * @example
 * jensenShannonDivergence([0.5, 0.5], [0.25, 0.75]); // ≈ 0.0488 bits
 */
export function jensenShannonDivergence(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < expected.length; i++) sum += jensenShannonTerm(actual[i] ?? 0, expected[i] ?? 0);
  // Rounding can leave a hair below zero for identical distributions.
  return Math.max(0, sum);
}
