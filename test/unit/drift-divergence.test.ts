import { describe, expect, test } from 'vitest';
import { emptyBinProportion, jensenShannonDivergence, populationStabilityIndex } from '../../src/monitor/divergence.js';

/**
 * The two measures of drift against figures worked by hand:
 * PSI([½, ½] ‖ [¼, ¾]) = ¼·ln 2 + (−¼)·ln(⅔) = ¼·ln 3;
 * JS = ½·(½·log₂(½ / ⅜) + ½·log₂(½ / ⅝)) + ½·(¼·log₂(¼ / ⅜) + ¾·log₂(¾ / ⅝)).
 */
describe('population stability index and Jensen–Shannon divergence', () => {
  test('match the hand-worked figures', () => {
    expect(populationStabilityIndex([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.25 * Math.log(3), 12);
    expect(populationStabilityIndex([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.274653, 6);
    const js =
      0.5 * (0.5 * Math.log2(0.5 / 0.375) + 0.5 * Math.log2(0.5 / 0.625)) +
      0.5 * (0.25 * Math.log2(0.25 / 0.375) + 0.75 * Math.log2(0.75 / 0.625));
    expect(jensenShannonDivergence([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(js, 12);
    expect(jensenShannonDivergence([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.048795, 6);
  });

  test('are 0 for the same distribution, and PSI is symmetric', () => {
    expect(populationStabilityIndex([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    expect(jensenShannonDivergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    expect(populationStabilityIndex([0.25, 0.75], [0.5, 0.5])).toBeCloseTo(
      populationStabilityIndex([0.5, 0.5], [0.25, 0.75]),
      12,
    );
  });

  test('an empty bin counts as 1e-4 in PSI; JS needs no stand-in and stays under 1 bit', () => {
    expect(emptyBinProportion).toBe(1e-4);
    // (1e-4 − ½)·ln(1e-4 / ½) + (1 − ½)·ln(1 / ½)
    expect(populationStabilityIndex([0, 1], [0.5, 0.5])).toBeCloseTo((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), 12);
    expect(Number.isFinite(populationStabilityIndex([0, 1], [1, 0]))).toBe(true);
    // ½·(1·log₂(1 / ¾)) + ½·(½·log₂(½ / ¼) + ½·log₂(½ / ¾))
    expect(jensenShannonDivergence([0, 1], [0.5, 0.5])).toBeCloseTo(0.311278, 6);
    expect(jensenShannonDivergence([0, 1], [1, 0])).toBeCloseTo(1, 12);
  });
});
