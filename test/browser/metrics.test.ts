import { afterAll, expect, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { models } from '../support/browser/models.js';
import { randomFloats, seededRandom } from '../support/browser/tensors.js';

/** rt.metrics(): latency histograms per model, version and backend, from the calls themselves. */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

test('runs, failures, phase percentiles and load phases of a model', async () => {
  const model = await rt.load(models.mlpManifest);
  const random = seededRandom(5);
  const roundTrips: number[] = [];
  for (let i = 0; i < 40; i++) {
    const { timings } = await model.runDetailed({ x: { type: 'float32', data: randomFloats(random, 4), dims: [1, 4] } });
    roundTrips.push(timings.roundTripMs);
  }
  await model.run({ x: { type: 'float32', data: new Float32Array(3), dims: [1, 3] } }).catch(() => undefined);
  const [metrics, ...others] = rt.metrics().models;
  expect(others).toEqual([]);
  expect(metrics).toMatchObject({ model: 'mlp', version: '1.0.0', backend: 'wasm', runs: 40, errors: { 'input-shape': 1 } });
  // The histogram's median is within one bucket (a factor 2^(1/4)) of the measured one.
  const median = roundTrips.sort((a, b) => a - b)[19] as number;
  const p50 = metrics?.phases.total.p50Ms as number;
  expect(p50 / median).toBeGreaterThan(2 ** -0.25);
  expect(p50 / median).toBeLessThan(2 ** 0.25);
  expect(metrics?.phases.total.p99Ms).toBeGreaterThanOrEqual(p50);
  expect(metrics?.phases.inference.count).toBe(40);
  expect(metrics?.load.load.count).toBe(1);
  expect(metrics?.load.session.count).toBe(1);
  expect(metrics?.load.firstInference.count).toBe(1);
  expect(metrics?.histograms.total.counts.reduce((a, b) => a + b, 0)).toBe(40);
});
