import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { Emitter } from '../../src/lib/emitter.js';
import { RuntimeObserver } from '../../src/monitor/run-observer.js';
import type { AnomalyEvent, ModelInfo, RuntimeEvents } from '../../src/types.js';

/**
 * The page counts watched calls in batches (64 calls, or 100 ms after the first not counted
 * yet), not one by one as they return; whatever reads the metrics counts them first.
 */
const info = { id: 'm', version: '1', backend: 'wasm' } as ModelInfo;
const timings = (ms: number) => ({
  queueMs: 0,
  preprocessMs: 0,
  prepareMs: 0,
  inferenceMs: ms,
  postprocessMs: 0,
  batchSize: 1,
  workerMs: ms,
  roundTripMs: ms,
});

let events: Emitter<RuntimeEvents>;
let anomalies: AnomalyEvent[];
let spans: [number, number][];
let observer: RuntimeObserver;

beforeEach(() => {
  vi.useFakeTimers();
  events = new Emitter<RuntimeEvents>();
  anomalies = [];
  events.on('anomaly', (event) => anomalies.push(event));
  spans = [];
  observer = new RuntimeObserver(events, { intervalMs: 0, onRun: (ms, end) => spans.push([end - ms, end]) });
});
afterEach(() => vi.useRealTimers());

test('calls are counted when the metrics are read, with the times they ended at', () => {
  observer.ran(info, timings(2), 10);
  observer.ran(info, timings(3), 20);
  expect(spans).toEqual([]);
  expect(observer.metrics()[0]?.runs).toBe(2);
  expect(spans).toEqual([
    [8, 10],
    [17, 20],
  ]);
  expect(observer.metrics()[0]?.runs).toBe(2); // counted once
});

test('the 64th call counts the batch; fewer are counted 100 ms after the first', () => {
  for (let i = 0; i < 63; i++) observer.ran(info, timings(1), i);
  expect(spans).toHaveLength(0);
  observer.ran(info, timings(1), 63);
  expect(spans).toHaveLength(64);
  observer.ran(info, timings(1), 64);
  vi.advanceTimersByTime(99);
  expect(spans).toHaveLength(64);
  vi.advanceTimersByTime(1);
  expect(spans).toHaveLength(65);
});

test('a latency spike is an anomaly once its batch is counted', () => {
  for (let i = 0; i < 40; i++) observer.ran(info, timings(1 + (i % 2) * 0.1), i);
  observer.ran(info, timings(50), 100);
  expect(anomalies).toEqual([]);
  vi.advanceTimersByTime(100);
  expect(anomalies).toMatchObject([{ kind: 'latency', model: 'm', details: { ms: 50 } }]);
});

test('a failure, an anomaly or a load counts the calls that returned before it', () => {
  observer.ran(info, timings(1), 1);
  observer.failed(info, 'inference-failed');
  expect(spans).toHaveLength(1);
  observer.ran(info, timings(1), 2);
  observer.noticed(info, []);
  expect(spans).toHaveLength(2);
  observer.ran(info, timings(1), 3);
  observer.loaded(info, { manifestMs: 0, downloadMs: 0, cacheReadMs: 0, sessionMs: 0 } as never);
  expect(spans).toHaveLength(3);
  const [metrics] = observer.metrics();
  expect([metrics?.runs, metrics?.errors]).toEqual([3, { 'inference-failed': 1 }]);
});
