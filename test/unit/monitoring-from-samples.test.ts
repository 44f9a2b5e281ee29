import { describe, expect, test } from 'vitest';
import { monitoringFromSamples } from '../../src/cli/lib/monitoring-from-samples.js';
import { RunMonitor } from '../../src/monitor/detect.js';
import type { Tensor } from '../../src/types.js';
import { seededRandom } from '../support/browser/tensors.js';

/** Rows of two features: one uniform in [0, 10), one in [−1, 1). */
function rows(seed: number, count: number, shift = 0): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => [Math.fround(random() * 10 + shift), Math.fround(random() * 2 - 1)]);
}
const feed = (row: number[]): Tensor => ({ type: 'float32', data: Float32Array.from(row), dims: [1, 2] });

describe('a monitoring section made from samples', () => {
  test('the samples themselves raise nothing in the runtime; the same stream shifted drifts', () => {
    const monitoring = monitoringFromSamples({ tensors: { x: rows(1, 2000) } });
    expect(monitoring.drift?.reference.x?.features).toHaveLength(2);
    const monitor = new RunMonitor(monitoring);
    for (const row of rows(1, 2000)) expect(monitor.inputs({ x: feed(row) })).toEqual([]);
    // A fresh stream from the same distribution: nothing either (its extremes may pass the samples', so no ranges).
    const clean = new RunMonitor({ drift: monitoring.drift });
    for (const row of rows(2, 2000)) expect(clean.inputs({ x: feed(row) })).toEqual([]);
    // The first feature up by a fifth of its span: drift in feature 0 within the window.
    const shifted = new RunMonitor({ drift: monitoring.drift });
    const found = rows(3, 200, 2).flatMap((row) => shifted.inputs({ x: feed(row) }));
    expect(found[0]).toMatchObject({ kind: 'drift', tensor: 'x', details: { feature: 0 } });
  });

  test('rows of different widths are refused, naming the tensor', () => {
    expect(() => monitoringFromSamples({ tensors: { x: [[1, 2], [3]] } })).toThrow('"x": rows of 2 and of 1 values');
    expect(() => monitoringFromSamples({ tensors: { x: [[1, null]] } })).toThrow('"x": column 1 has no finite value');
  });
});
