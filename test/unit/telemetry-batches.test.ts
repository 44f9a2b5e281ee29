import { describe, expect, test } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { Histogram } from '../../src/monitor/histogram.js';
import type { ModelMetrics } from '../../src/monitor/metrics.js';
import { MetricsRegistry } from '../../src/monitor/metrics.js';
import { anomalyRecord, type BatchContent, makeBeacons, noLongFrames, noneDropped } from '../../src/telemetry/batches.js';
import { beaconFormat, maxBeaconBytes } from '../../src/telemetry/beacon.js';
import { MetricsDeltas } from '../../src/telemetry/metrics-delta.js';
import type { AnomalyEvent } from '../../src/types.js';
import { version } from '../../src/version.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

function header() {
  let seq = 0;
  return { sessionId: 'session', sampleRate: 1, client: 'webinfer@test', nextSeq: () => ++seq, now: () => 1_000 };
}

const event = (i: number, details: AnomalyEvent['details'] = { count: i, of: 10 }): AnomalyEvent => ({
  kind: 'out-of-range',
  tensor: `input_${i}`,
  where: 'input',
  message: `value ${i * 1000} is outside`,
  details,
  model: 'm',
  version: '1',
  backend: 'wasm',
  at: 1_000 + i,
  suppressed: 0,
});

const empty: BatchContent = { metrics: [], anomalies: [], vitals: [], longFrames: noLongFrames, dropped: noneDropped };

describe('makeBeacons', () => {
  test('nothing to say makes no beacon; dropped counts alone do', () => {
    expect(makeBeacons(empty, header())).toEqual([]);
    const [only] = makeBeacons({ ...empty, dropped: { ...noneDropped, batches: 3 } }, header());
    expect(only).toMatchObject({ format: beaconFormat, seq: 1, dropped: { batches: 3 }, anomalies: [] });
  });

  test('RELIABILITY 30: a batch past 32 KiB is split into beacons under it, in order, nothing lost', () => {
    const anomalies = Array.from({ length: 600 }, (_, i) => anomalyRecord(event(i, { count: i, note: 'x'.repeat(120), of: 10 })));
    const content = { ...empty, anomalies, longFrames: { ...noLongFrames, count: 2 } };
    expect(bytes(content)).toBeGreaterThan(2 * maxBeaconBytes);
    const beacons = makeBeacons(content, header());
    expect(beacons.length).toBeGreaterThanOrEqual(3);
    for (const beacon of beacons) expect(bytes(beacon)).toBeLessThanOrEqual(maxBeaconBytes);
    expect(beacons.flatMap((b) => b.anomalies)).toEqual(anomalies);
    expect(beacons.map((b) => b.seq)).toEqual(beacons.map((_, i) => i + 1));
    expect(new Set(beacons.map((b) => b.batchId)).size).toBe(beacons.length);
    // Long frames and dropped counts are counted once, in the first.
    expect(beacons.map((b) => b.longFrames.count)).toEqual([2, ...beacons.slice(1).map(() => 0)]);
  });

  test('transitions ride only in the beacons that have some, and count toward the 32 KiB', () => {
    expect(makeBeacons({ ...empty, dropped: { ...noneDropped, batches: 1 } }, header())[0]).not.toHaveProperty('transitions');
    const transitions = Array.from({ length: 50 }, (_, i) => ({
      model: 'm'.repeat(128),
      kind: 'update' as const,
      from: `${i}`.padEnd(128, '0'),
      to: `${i + 1}`.padEnd(128, '0'),
      reason: 'interval',
      at: 1_000 + i,
      inFlight: i,
      preparedMs: 10 * i,
    }));
    // Anomalies filling most of a beacon, then transitions past its end.
    const anomalies = Array.from({ length: 150 }, (_, i) => anomalyRecord(event(i, { count: i, note: 'x'.repeat(120), of: 10 })));
    const beacons = makeBeacons({ ...empty, anomalies, transitions }, header());
    for (const beacon of beacons) expect(bytes(beacon)).toBeLessThanOrEqual(maxBeaconBytes);
    expect(beacons.flatMap((b) => b.transitions ?? [])).toEqual(transitions);
    expect(beacons.length).toBeGreaterThan(1);
  });

  test('an anomaly leaves the value it saw and its message on the device', () => {
    const record = anomalyRecord(event(7, { count: 1, of: 4, min: 0, max: 1, value: 1234.5, z: Number.POSITIVE_INFINITY }));
    expect(record.details).toEqual({ count: 1, of: 4, min: 0, max: 1, z: 'Infinity' });
    expect(JSON.stringify(record)).not.toContain('1234.5');
    expect(record).not.toHaveProperty('message');
  });
});

describe('MetricsDeltas', () => {
  const labels = { model: 'm', version: '1', backend: 'wasm' };
  const timings = {
    queueMs: 1,
    prepareMs: 0,
    preprocessMs: 0,
    inferenceMs: 2,
    postprocessMs: 0,
    workerMs: 3,
    batchSize: 1,
    roundTripMs: 4,
  };

  test('each call gives what changed since the last, and nothing when nothing did', () => {
    const registry = new MetricsRegistry();
    const deltas = new MetricsDeltas();
    registry.recordRun(labels, timings);
    registry.recordRun(labels, timings);
    const [first] = deltas.next(registry.snapshot());
    expect(first).toMatchObject({ ...labels, runs: 2 });
    expect(first?.histograms.total).toEqual({ buckets: [[bucketFor(0.004), 2]], count: 2, sum: 0.008 });
    expect(deltas.next(registry.snapshot())).toEqual([]);
    registry.recordRun(labels, { ...timings, roundTripMs: 40 });
    registry.recordError(labels, 'call-timeout');
    const [second] = deltas.next(registry.snapshot());
    expect(second?.runs).toBe(1);
    expect(second?.errors).toEqual({ 'call-timeout': 1 });
    expect(second?.histograms.total?.buckets).toEqual([[bucketFor(0.04), 1]]);
  });

  test('RELIABILITY 29: why a series runs on one thread rides on its deltas, from its latest load', () => {
    const registry = new MetricsRegistry();
    const deltas = new MetricsDeltas();
    const load = { manifestMs: 0, cacheReadMs: 0, downloadMs: 5, sessionMs: 20 };
    registry.recordLoad(labels, load, 25, 'not-isolated');
    registry.recordLoad({ ...labels, backend: 'webgpu' }, load, 25, 'webgpu');
    registry.recordLoad({ ...labels, model: 'threaded' }, load, 25);
    const first = deltas.next(registry.snapshot());
    expect(first.map((d) => [d.backend, d.model, d.singleThread, d.histograms.load?.count])).toEqual([
      ['wasm', 'm', 'not-isolated', 1],
      ['webgpu', 'm', 'webgpu', 1],
      ['wasm', 'threaded', undefined, 1],
    ]);
    expect('singleThread' in (first[2] ?? {})).toBe(false);
    registry.recordRun(labels, timings);
    expect(deltas.next(registry.snapshot())).toEqual([expect.objectContaining({ runs: 1, singleThread: 'not-isolated' })]);
    expect(registry.snapshot()[0]?.singleThread).toBe('not-isolated');
  });

  test('deltas add back up to the cumulative histogram', () => {
    const registry = new MetricsRegistry();
    const deltas = new MetricsDeltas();
    const sent: ModelMetrics['histograms']['total']['counts'][] = [];
    for (let i = 1; i <= 30; i++) {
      registry.recordRun(labels, { ...timings, roundTripMs: i * 3 });
      if (i % 7 === 0) sent.push(counts(deltas.next(registry.snapshot())[0]?.histograms.total?.buckets ?? []));
    }
    sent.push(counts(deltas.next(registry.snapshot())[0]?.histograms.total?.buckets ?? []));
    const summed = sent.reduce((a, b) => a.map((n, i) => n + (b[i] ?? 0)));
    expect(summed).toEqual(registry.snapshot()[0]?.histograms.total.counts);
  });
});

test('the version telemetry reports is package.json’s', () => {
  expect(version).toBe(packageJson.version);
});

function bucketFor(seconds: number): number {
  const h = new Histogram();
  h.record(seconds);
  return h.snapshot().counts.findIndex((n) => n > 0);
}

function counts(buckets: readonly (readonly [number, number])[]): number[] {
  const all = new Array<number>(87).fill(0);
  for (const [i, n] of buckets) all[i] = n;
  return all;
}
