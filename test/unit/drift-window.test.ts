import { describe, expect, test } from 'vitest';
import { populationStabilityIndex } from '../../src/monitor/divergence.js';
import { DriftWatch, driftOptions } from '../../src/monitor/drift.js';
import { DriftFeature } from '../../src/monitor/drift-feature.js';
import type { Tensor } from '../../src/types.js';
import { seededRandom } from '../support/browser/tensors.js';

/**
 * One feature, two bins split at 0, half the reference in each: a window of n values with a
 * share a below 0 has PSI (a − ½)·ln(2a) + (½ − a)·ln(2(1 − a)), judged less its chance level
 * (2 − 1) / n against warn 0.1 and alarm 0.25.
 */
const halves = { features: [{ edges: [0], proportions: [0.5, 0.5] }] };
const column = (values: number[]): Tensor => ({ type: 'float32', data: Float32Array.from(values), dims: [values.length, 1] });
/** `below` values under the edge and `above` over it, interleaved evenly. */
function mix(below: number, above: number): number[] {
  const total = below + above;
  return Array.from({ length: total }, (_, i) =>
    Math.floor(((i + 1) * below) / total) > Math.floor((i * below) / total) ? -1 : 1,
  );
}
const psiOf = (a: number) => (a - 0.5) * Math.log(2 * a) + (0.5 - a) * Math.log(2 * (1 - a));

describe('drift over a sliding window', () => {
  test('nothing is judged before 100 samples, however far off they are', () => {
    const watch = new DriftWatch(halves);
    watch.observe(column(mix(99, 0)));
    expect(watch.judge()).toBeUndefined();
    watch.observe(column([-1]));
    expect(watch.judge()).toMatchObject({ level: 'alarm', samples: 100 });
  });

  test('a moderate shift warns, a large one alarms, with the hand-worked figures', () => {
    const moderate = new DriftWatch(halves);
    moderate.observe(column(mix(70, 30)));
    const warned = moderate.judge();
    // 0.2·ln 1.4 − 0.2·ln 0.6 = 0.16946; less 1/100 of chance: 0.15946, between 0.1 and 0.25.
    expect(warned).toMatchObject({ level: 'warn', feature: 0, samples: 100, measure: 'psi', warn: 0.1, alarm: 0.25 });
    expect(warned?.psi).toBeCloseTo(0.16946, 5);
    expect(warned?.excess).toBeCloseTo(0.16946 - 0.01, 5);
    const large = new DriftWatch(halves);
    large.observe(column(mix(75, 25)));
    // ¼·ln 3 = 0.27465, less 0.01: 0.26465 ≥ 0.25.
    expect(large.judge()).toMatchObject({ level: 'alarm', psi: expect.closeTo(0.274653, 5) });
    const slight = new DriftWatch(halves);
    slight.observe(column(mix(65, 35)));
    // 0.15·ln 1.3 − 0.15·ln 0.7 = 0.09286: no finding.
    expect(slight.judge()).toBeUndefined();
  });

  test('JS can be the judged measure, with its own thresholds', () => {
    const options = driftOptions({ measure: 'js', warn: 0.02, alarm: 0.05 });
    const judged = (below: number) => {
      const watch = new DriftWatch(halves, options);
      watch.observe(column(mix(below, 100 - below)));
      return watch.judge();
    };
    // 60/40: ½(0.6·log₂(0.6/0.55) + 0.4·log₂(0.4/0.45)) + ½(0.5·log₂(0.5/0.55) + 0.5·log₂(0.5/0.45)) = 0.0073.
    expect(judged(60)).toBeUndefined();
    // 70/30: 0.030305 bits, less the chance level 1/(100·8 ln 2) = 0.0018: a warning.
    expect(judged(70)).toMatchObject({ level: 'warn', measure: 'js', js: expect.closeTo(0.030305, 6) });
    expect(judged(70)?.excess).toBeCloseTo(0.030305 - 1 / (800 * Math.LN2), 6);
    // 80/20: 0.073104 bits, an alarm; PSI (0.3·ln 1.6 − 0.3·ln 0.4 = 0.4159) is reported beside it.
    expect(judged(80)).toMatchObject({ level: 'alarm', js: expect.closeTo(0.073104, 6), psi: expect.closeTo(0.415888, 6) });
  });

  test('the window forgets: old values leave as new ones come', () => {
    const watch = new DriftWatch(halves, driftOptions({ window: 200 }));
    watch.observe(column(mix(140, 60)));
    expect(watch.judge()).toMatchObject({ level: 'warn', samples: 200, psi: expect.closeTo(psiOf(0.7), 9) });
    // 100 even values push out the oldest 100 (70 below, 30 above): 120 of 200 below, PSI 0.0405.
    watch.observe(column(mix(50, 50)));
    expect(watch.judge()).toBeUndefined();
    // 100 more lopsided ones push out the rest of the first lot: the window is 50/50 + 75/25.
    watch.observe(column(mix(75, 25)));
    expect(watch.judge()).toBeUndefined();
    watch.observe(column(mix(75, 25)));
    expect(watch.judge()).toMatchObject({ level: 'alarm', samples: 200, psi: expect.closeTo(psiOf(0.75), 9) });
  });

  test('the running sums equal sums made afresh, sample after sample', () => {
    const random = seededRandom(7);
    const proportions = [0.1, 0.2, 0.4, 0.2, 0.1];
    const edges = [-1.5, -0.5, 0.5, 1.5];
    const feature = DriftFeature.alone(edges, proportions, 50);
    const window: number[] = [];
    for (let i = 0; i < 400; i++) {
      const value = (random() - 0.3) * 4;
      feature.push(value);
      window.push(value);
      if (window.length > 50) window.shift();
      if (i % 3 !== 0) continue;
      const counts = [0, 0, 0, 0, 0];
      for (const x of window) {
        const bin = edges.filter((edge) => x >= edge).length;
        counts[bin] = (counts[bin] ?? 0) + 1;
      }
      const actual = counts.map((count) => count / window.length);
      expect(feature.divergence().psi).toBeCloseTo(populationStabilityIndex(actual, proportions), 10);
    }
  });
});

describe('what a sample is', () => {
  const twoColumns = {
    features: [
      { name: 'age', edges: [0], proportions: [0.5, 0.5] },
      { name: 'hours', edges: [0], proportions: [0.5, 0.5] },
    ],
  };

  test('"row": each row gives one value per column; the worst column is named', () => {
    const watch = new DriftWatch(twoColumns);
    // 100 rows: column 0 even, column 1 three quarters below 0.
    const rows = mix(50, 50).flatMap((age, i) => [age, mix(75, 25)[i] as number]);
    watch.observe({ type: 'float64', data: Float64Array.from(rows), dims: [100, 2] });
    expect(watch.judge()).toMatchObject({ level: 'alarm', feature: 1, name: 'hours', drifting: 1, samples: 100 });
  });

  test('"row": a tensor whose last axis is not the reference\'s width is left alone; NaN is skipped', () => {
    const watch = new DriftWatch(twoColumns);
    watch.observe({ type: 'float32', data: new Float32Array(300).fill(-1), dims: [100, 3] });
    watch.observe({ type: 'float32', data: new Float32Array(200).fill(Number.NaN), dims: [100, 2] });
    watch.observe({ type: 'int64', data: new BigInt64Array(200), dims: [100, 2] });
    expect(watch.judge()).toBeUndefined();
  });

  test('"item-mean": each item along the first axis gives its mean', () => {
    const watch = new DriftWatch({ sample: 'item-mean', features: [{ edges: [0], proportions: [0.5, 0.5] }] });
    // 100 images of 4 values, each averaging −0.25 (one bright pixel among dark ones): all below 0.
    const images = Array.from({ length: 100 }, () => [-1, -1, -1, 2]).flat();
    watch.observe({ type: 'float32', data: Float32Array.from(images.slice(0, 396)), dims: [99, 2, 2] });
    expect(watch.judge()).toBeUndefined();
    watch.observe({ type: 'uint8', data: Uint8Array.of(0, 0, 0, 0), dims: [1, 4] });
    expect(watch.judge()).toMatchObject({ level: 'alarm', samples: 100, feature: 0 });
  });
});
