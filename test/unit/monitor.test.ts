import { describe, expect, test } from 'vitest';
import { AnomalyLimiter } from '../../src/monitor/anomaly-limiter.js';
import { RunMonitor } from '../../src/monitor/detect.js';
import type { Anomaly, Tensor } from '../../src/types.js';

const f32 = (values: number[], dims = [1, values.length]): Tensor => ({ type: 'float32', data: Float32Array.from(values), dims });

describe('RunMonitor', () => {
  test('NaN and infinities in inputs are counted, by default', () => {
    const [found, ...rest] = new RunMonitor().inputs({
      x: f32([1, Number.NaN, Number.POSITIVE_INFINITY, 2]),
      n: { type: 'int64', data: BigInt64Array.of(1n), dims: [1] },
    });
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ kind: 'non-finite', tensor: 'x', where: 'input', details: { count: 2, of: 4 } });
    expect(new RunMonitor({ nonFinite: false }).inputs({ x: f32([Number.NaN]) })).toEqual([]);
  });

  test('values outside the training range, with the farthest one', () => {
    const monitor = new RunMonitor({ ranges: { y: { min: -1, max: 1 } } });
    const [found] = monitor.outputs({ y: f32([0, 1.5, -3, 0.2]) }, {});
    expect(found).toMatchObject({
      kind: 'out-of-range',
      tensor: 'y',
      where: 'output',
      details: { count: 2, min: -1, max: 1, value: -3 },
    });
    expect(monitor.outputs({ y: f32([-1, 1]) }, {})).toEqual([]);
  });

  test('per-column ranges: each column of the last axis against its own bounds', () => {
    const monitor = new RunMonitor({ ranges: { x: { min: [18, -3], max: [95, 3] } } });
    expect(monitor.inputs({ x: f32([40, 2.5, 90, -2.9], [2, 2]) })).toEqual([]);
    expect(monitor.inputs({ x: f32([17, 0, 40, 9], [2, 2]) })[0]).toMatchObject({
      kind: 'out-of-range',
      details: { count: 2, column: 0, min: 18, max: 95, value: 17 },
    });
    // The column with the value farthest from zero is the example: 9 > 3 in column 1.
    expect(monitor.inputs({ x: f32([40, 9], [1, 2]) })[0]).toMatchObject({ details: { column: 1, min: -3, max: 3, value: 9 } });
    // A tensor of another width is not judged by a range written for two columns.
    expect(monitor.inputs({ x: f32([1000, 1000, 1000], [1, 3]) })).toEqual([]);
  });

  test('drift: a column drifted from its reference bins is an anomaly of the tensor, once 100 rows are in', () => {
    const monitor = new RunMonitor({
      drift: {
        reference: {
          x: {
            features: [
              { edges: [0], proportions: [1, 1] },
              { name: 'hours', edges: [0], proportions: [50, 50] },
            ],
          },
        },
      },
    });
    // Column 0 alternates around 0; column 1 sits below 0 on every row.
    const run = (i: number) => monitor.inputs({ x: f32([i % 2 ? 1 : -1, -1], [1, 2]) });
    for (let i = 0; i < 99; i++) expect(run(i)).toEqual([]);
    expect(run(99)).toEqual([
      {
        kind: 'drift',
        tensor: 'x',
        where: 'input',
        message: expect.stringContaining('feature 1 ("hours")'),
        details: expect.objectContaining({ level: 'alarm', feature: 1, name: 'hours', samples: 100, drifting: 1 }),
      },
    ]);
  });

  test('drift is reported once per episode: as it starts, as it worsens, and after a quiet spell anew', () => {
    const monitor = new RunMonitor({
      drift: { window: 100, reference: { x: { features: [{ edges: [0, 1], proportions: [1, 1, 1] }] } } },
    });
    const run = (value: number) => monitor.inputs({ x: f32([value], [1, 1]) }).map((a) => a.details.level);
    const even = (i: number) => [-1, 0.5, 2][i % 3] as number;
    const reports: unknown[] = [];
    for (let i = 0; i < 100; i++) reports.push(...run(even(i)));
    expect(reports).toEqual([]);
    // Every value in the high bin: the window crosses warn, then alarm, reported once each.
    for (let i = 0; i < 100; i++) reports.push(...run(2));
    expect(reports).toEqual(['warn', 'alarm']);
    // Back to even for a whole window, and 50 quiet runs: the next drift is a new episode.
    for (let i = 0; i < 160; i++) reports.push(...run(even(i)));
    expect(reports).toEqual(['warn', 'alarm']);
    for (let i = 0; i < 100; i++) reports.push(...run(2));
    expect(reports).toEqual(['warn', 'alarm', 'warn', 'alarm']);
  });

  test('confidence: one unsure row is no anomaly; a window of them is a collapse', () => {
    const monitor = new RunMonitor({ confidence: { output: 'p', min: 0.5, margin: 0.1, expected: 0.1 } });
    const probs = (values: number[]) => ({ p: f32(values) });
    expect(monitor.outputs({}, probs([0.9, 0.05, 0.05]))).toEqual([]);
    expect(monitor.outputs({}, probs([0.4, 0.3, 0.3]))).toEqual([]);
    for (let run = 0; run < 97; run++) monitor.outputs({}, probs([0.52, 0.48, 0]));
    expect(monitor.outputs({}, probs([0.52, 0.48, 0]))[0]).toMatchObject({
      kind: 'confidence-collapse',
      tensor: 'p',
      details: { rows: 100, low: 99, expected: 0.1, margin: expect.closeTo(0.04, 6) },
    });
  });
});

describe('AnomalyLimiter', () => {
  const anomaly: Anomaly = { kind: 'non-finite', tensor: 'x', where: 'input', message: 'NaN', details: {} };
  const labels = { model: 'm', version: '1', backend: 'wasm' };

  test('one event per model, kind and tensor per interval, counting what it left out', () => {
    let now = 1000;
    const limiter = new AnomalyLimiter({ intervalMs: 10_000, now: () => now });
    expect(limiter.admit(labels, [anomaly])).toEqual([{ ...anomaly, ...labels, at: 1000, suppressed: 0 }]);
    now += 5000;
    expect(limiter.admit(labels, [anomaly, anomaly])).toEqual([]);
    expect(limiter.admit(labels, [{ ...anomaly, tensor: 'y' }])).toHaveLength(1); // another tensor
    expect(limiter.admit({ ...labels, version: '2' }, [anomaly])).toHaveLength(1); // another version
    now += 5000;
    expect(limiter.admit(labels, [anomaly])).toEqual([{ ...anomaly, ...labels, at: 11_000, suppressed: 2 }]);
  });
});

describe('LatencyWatch', () => {
  test('a spike after a steady stream is an anomaly; the stream itself is not', async () => {
    const { LatencyWatch } = await import('../../src/monitor/latency-watch.js');
    const watch = new LatencyWatch();
    let state = 1;
    const jitter = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const quiet = Array.from({ length: 500 }, () => watch.latency(4 * (0.8 + 0.4 * jitter())));
    expect(quiet.filter(Boolean)).toEqual([]);
    const spike = watch.latency(40);
    expect(spike).toMatchObject({ kind: 'latency', tensor: '(call)', details: { ms: 40 } });
    expect(spike?.details.typicalMs as number).toBeGreaterThan(3.5);
    // The spike did not move the averages: a second one is seen too.
    expect(watch.latency(40)).toBeDefined();
  });

  test('on a very steady stream a call 30 % slower is far out in deviations, yet no spike; twice the usual is', async () => {
    const { LatencyWatch } = await import('../../src/monitor/latency-watch.js');
    const watch = new LatencyWatch();
    for (let i = 0; i < 200; i++) expect(watch.latency(0.8 * (1 + (i % 5) * 0.002))).toBeUndefined();
    expect(watch.latency(0.8 * 1.3)).toBeUndefined();
    expect(watch.latency(0.8 * 1.9)).toBeUndefined();
    expect(watch.latency(0.8 * 2.1)).toMatchObject({ kind: 'latency', details: { ms: 0.8 * 2.1 } });
  });

  test('nothing is judged before the warm-up; a burst of failures is an error-rate anomaly', async () => {
    const { LatencyWatch } = await import('../../src/monitor/latency-watch.js');
    const watch = new LatencyWatch({ warmUp: 30 });
    expect(watch.latency(1)).toBeUndefined();
    expect(watch.latency(1000)).toBeUndefined(); // too early to call it a spike
    for (let i = 0; i < 40; i++) watch.latency(2);
    let burst: unknown;
    for (let i = 0; i < 10 && !burst; i++) burst = watch.failure('inference-failed');
    expect(burst).toMatchObject({ kind: 'error-rate', details: { code: 'inference-failed' } });
  });
});
