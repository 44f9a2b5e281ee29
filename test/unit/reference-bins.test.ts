import { describe, expect, test } from 'vitest';
import { binIndex } from '../../src/monitor/bin-window.js';
import { referenceBins } from '../../src/monitor/reference-bins.js';

describe('reference bins from samples', () => {
  test('edges at the quantiles, so each bin holds about as many samples', () => {
    expect(referenceBins([8, 1, 7, 2, 6, 3, 5, 4], { bins: 4 })).toEqual({
      edges: [3, 5, 7],
      proportions: [0.25, 0.25, 0.25, 0.25],
    });
    const values = Array.from({ length: 1000 }, (_, i) => i / 10);
    const { edges, proportions } = referenceBins(values) ?? { edges: [], proportions: [] };
    expect(edges).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(proportions).toEqual(new Array(10).fill(0.1));
  });

  test('the runtime bins by the same rule: a value on an edge goes up', () => {
    expect(binIndex([3, 5, 7], 2.99)).toBe(0);
    expect(binIndex([3, 5, 7], 3)).toBe(1);
    expect(binIndex([3, 5, 7], 7)).toBe(3);
    expect(binIndex([3, 5, 7], -1e9)).toBe(0);
    expect(binIndex([3, 5, 7], 1e9)).toBe(3);
  });

  test('ties make fewer bins: a 0/1 feature gets one edge; a constant one still gets one', () => {
    const flags = [...new Array(80).fill(0), ...new Array(20).fill(1)];
    expect(referenceBins(flags, { bins: 5 })).toEqual({ edges: [1], proportions: [0.8, 0.2] });
    expect(referenceBins([4, 4, 4], { bins: 5 })).toEqual({ edges: [4], proportions: [0, 1] });
  });

  test('NaN and infinities are left out; no finite value, no bins', () => {
    expect(referenceBins([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3, 4], { bins: 2 })).toEqual({
      edges: [3],
      proportions: [0.5, 0.5],
    });
    expect(referenceBins([Number.NaN])).toBeUndefined();
    expect(referenceBins([])).toBeUndefined();
  });

  test('edges keep 6 significant digits', () => {
    expect(referenceBins([0.1234567891, 0.2345678912], { bins: 2 })?.edges).toEqual([0.234568]);
  });
});
