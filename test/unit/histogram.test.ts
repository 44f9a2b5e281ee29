import { describe, expect, test } from 'vitest';
import { bucketBounds, bucketOf, Histogram } from '../../src/monitor/histogram.js';
import { MetricsRegistry } from '../../src/monitor/metrics.js';
import { seededRandom as random } from '../support/browser/tensors.js';

const exactQuantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

describe('Histogram', () => {
  test('bucket bounds grow by 2^(1/4) from 50 µs; a value lands in the first bucket whose bound holds it', () => {
    expect(bucketBounds[0]).toBe(5e-5);
    expect((bucketBounds[4] as number) / (bucketBounds[0] as number)).toBeCloseTo(2, 12);
    expect(bucketOf(5e-5)).toBe(0);
    expect(bucketOf(1e-6)).toBe(0);
    expect(bucketOf(bucketBounds[10] as number)).toBe(10);
    expect(bucketOf((bucketBounds[10] as number) * 1.0001)).toBe(11);
    expect(bucketOf(1e6)).toBe(bucketBounds.length); // overflow
  });

  test('p50, p95, p99 of 10,000 log-normal latencies are within 5 % of the exact ones', () => {
    const next = random(7);
    const histogram = new Histogram();
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      // Box-Muller: log-normal around 4 ms.
      const z = Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
      const seconds = 0.004 * Math.exp(0.5 * z);
      values.push(seconds);
      histogram.record(seconds);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactQuantile(values, q);
      expect(Math.abs(histogram.quantile(q) / exact - 1)).toBeLessThan(0.05);
    }
    expect(histogram.quantile(1)).toBe(values.at(-1));
  });

  test('merging two halves gives the histogram of the whole', () => {
    const whole = new Histogram();
    const a = new Histogram();
    const b = new Histogram();
    const next = random(3);
    for (let i = 0; i < 1000; i++) {
      const v = next() * 0.1;
      whole.record(v);
      (i % 2 ? a : b).record(v);
    }
    a.merge(b.snapshot());
    expect(a.snapshot().counts).toEqual(whole.snapshot().counts);
    expect(a.snapshot().count).toBe(1000);
    expect(a.snapshot().sum).toBeCloseTo(whole.snapshot().sum, 9);
    expect(a.quantile(0.9)).toBeCloseTo(whole.quantile(0.9), 12);
  });

  test('empty: NaN quantiles; negative and non-finite values are ignored', () => {
    const histogram = new Histogram();
    expect(histogram.quantile(0.5)).toBeNaN();
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY]) histogram.record(v);
    expect(histogram.count).toBe(0);
  });
});

test('MetricsRegistry keeps series per model, version and backend; the first run after a load is its own phase', () => {
  const registry = new MetricsRegistry();
  const labels = { model: 'vad', version: '5', backend: 'wasm' };
  registry.recordLoad(labels, { manifestMs: 10, cacheReadMs: 20, downloadMs: 0, sessionMs: 300 }, 330);
  const run = (ms: number) => ({
    preprocessMs: 0,
    queueMs: 0.5,
    prepareMs: 0.1,
    inferenceMs: ms,
    batchSize: 1,
    postprocessMs: 0,
    workerMs: ms + 1,
    roundTripMs: ms + 2,
  });
  registry.recordRun(labels, run(50));
  for (let i = 0; i < 9; i++) registry.recordRun(labels, run(2));
  registry.recordRun({ ...labels, backend: 'webgpu' }, run(1));
  registry.recordError(labels, 'input-shape');
  const [wasm, webgpu] = registry.snapshot();
  expect(wasm).toMatchObject({ ...labels, runs: 10, errors: { 'input-shape': 1 } });
  expect(wasm?.load.firstInference.count).toBe(1);
  expect(wasm?.load.firstInference.maxMs).toBeCloseTo(52, 6);
  expect(wasm?.load.session.p50Ms).toBeCloseTo(300, 6);
  expect(wasm?.phases.inference.p50Ms).toBeGreaterThan(1.8);
  expect(wasm?.phases.inference.p50Ms).toBeLessThan(2.2);
  expect(webgpu).toMatchObject({ backend: 'webgpu', runs: 1 });
});

test('runs recorded as rows and folded 64 at a time read back exactly as histograms fed each run, read midway or not', () => {
  const registry = new MetricsRegistry();
  const labels = { model: 'mlp', version: '1', backend: 'wasm' };
  const direct = { queue: new Histogram(), inference: new Histogram(), total: new Histogram() };
  const uniform = random(7);
  for (let i = 0; i < 150; i++) {
    const timings = {
      queueMs: uniform() * 3,
      preprocessMs: 0,
      prepareMs: 0,
      inferenceMs: 1 + uniform() * 20,
      batchSize: 1,
      postprocessMs: Number.NaN, // not finite: skipped, as a histogram skips it
      workerMs: 0,
      roundTripMs: 2 + uniform() * 40,
    };
    registry.recordRun(labels, timings);
    direct.queue.record(timings.queueMs / 1000);
    direct.inference.record(timings.inferenceMs / 1000);
    direct.total.record(timings.roundTripMs / 1000);
    // Read before the first fold, right after it, and between folds.
    if (i === 10 || i === 64 || i === 100) expect(registry.snapshot()[0]?.runs).toBe(i + 1);
  }
  const [series] = registry.snapshot();
  expect(series?.runs).toBe(150);
  expect(series?.histograms.queue).toEqual(direct.queue.snapshot());
  expect(series?.histograms.inference).toEqual(direct.inference.snapshot());
  expect(series?.histograms.total).toEqual(direct.total.snapshot());
  expect(series?.histograms.postprocess.count).toBe(0);
});
