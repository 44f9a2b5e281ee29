// biome-ignore-all lint/suspicious/noExplicitAny: the OTLP JSON is read by path, as a decoder would.
import { describe, expect, test } from 'vitest';
import { bucketBounds, bucketOf } from '../../src/monitor/histogram.js';
import type { Beacon } from '../../src/telemetry/beacon.js';
import { otlpBodies } from '../../src/telemetry/otlp.js';
import { checkOtlp } from '../support/node/otlp-check.js';

const beacon: Beacon = {
  format: 'webinfer/beacon@1',
  batchId: 'b1',
  sessionId: 's1',
  seq: 4,
  sentAt: 1_764_500_000_123,
  sampleRate: 0.5,
  client: 'webinfer@0.1.0',
  metrics: [
    {
      model: 'vad',
      version: '4.0.0',
      backend: 'wasm',
      runs: 3,
      errors: { 'call-timeout': 1 },
      histograms: {
        total: {
          buckets: [
            [10, 2],
            [86, 1],
          ],
          count: 3,
          sum: 200.0123,
        },
        session: { buckets: [[40, 1]], count: 1, sum: 0.5 },
      },
    },
  ],
  anomalies: [
    {
      model: 'vad',
      version: '4.0.0',
      backend: 'wasm',
      kind: 'latency',
      tensor: '(call)',
      where: 'output',
      details: { ms: 12.5, z: 'Infinity', count: 3 },
      at: 1_764_500_000_000,
      suppressed: 2,
    },
  ],
  vitals: [{ name: 'LCP', value: 123.4, rating: 'good', id: 'v5-1', navigationType: 'navigate' }],
  longFrames: { count: 2, duringInference: 1, blockingMs: 30, blockingMsDuringInference: 10 },
  dropped: { batches: 1, anomalies: 0, rejected: 0 },
};

describe('a beacon in OTLP/HTTP JSON', () => {
  const { metrics, logs } = otlpBodies(beacon, 1_764_499_990_000);

  test('decodes as ExportMetricsServiceRequest and ExportLogsServiceRequest with nothing lost', () => {
    expect(checkOtlp('metrics', metrics)).toBeUndefined();
    expect(checkOtlp('logs', logs)).toBeUndefined();
  });

  test('the check catches a misspelt field and a wrong type', () => {
    const misspelt = structuredClone(metrics) as any;
    misspelt.resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoint = [];
    expect(checkOtlp('metrics', misspelt)).toMatch(/round trip/);
    const wrongType = structuredClone(logs) as any;
    wrongType.resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber = 'loud';
    expect(checkOtlp('logs', wrongType)).toBeDefined();
  });

  test('histograms keep every bucket (only the bounds around the counts), the delta and its time window', () => {
    const [run] = (metrics as any).resourceMetrics[0].scopeMetrics[0].metrics;
    expect(run).toMatchObject({ name: 'webinfer.run.duration', unit: 's', histogram: { aggregationTemporality: 1 } });
    const [point] = run.histogram.dataPoints;
    // Counts in the runtime's buckets 10 and 86 (the overflow): bounds from bucket 9's up.
    expect(point.explicitBounds).toEqual(bucketBounds.slice(9));
    expect(point.bucketCounts).toHaveLength(bucketBounds.length - 9 + 1);
    expect(point.bucketCounts[1]).toBe('2');
    expect(point.bucketCounts.at(-1)).toBe('1');
    expect(point.bucketCounts.filter((n: string) => n !== '0')).toEqual(['2', '1']);
    expect(point).toMatchObject({ count: '3', sum: 200.0123, startTimeUnixNano: '1764499990000000000' });
    expect(point.timeUnixNano).toBe('1764500000123000000');
    const attrs = Object.fromEntries(point.attributes.map((a: any) => [a.key, a.value]));
    expect(attrs).toMatchObject({ 'webinfer.model': { stringValue: 'vad' }, 'webinfer.phase': { stringValue: 'total' } });
  });

  test('why a series runs on one thread rides on its load points only', () => {
    const single: Beacon = {
      ...beacon,
      metrics: beacon.metrics.map((m) => ({ ...m, singleThread: 'not-isolated' as const })),
    };
    const body = otlpBodies(single, 1_764_499_990_000).metrics as any;
    expect(checkOtlp('metrics', body)).toBeUndefined();
    const points = (name: string) =>
      body.resourceMetrics[0].scopeMetrics[0].metrics.find((m: any) => m.name === name).histogram.dataPoints;
    const [load] = points('webinfer.load.duration');
    expect(load.attributes).toContainEqual({ key: 'webinfer.single_thread', value: { stringValue: 'not-isolated' } });
    const [run] = points('webinfer.run.duration');
    expect(run.attributes.map((a: any) => a.key)).not.toContain('webinfer.single_thread');
    // Without the field, no attribute.
    const [plain] = (metrics as any).resourceMetrics[0].scopeMetrics[0].metrics[1].histogram.dataPoints;
    expect(plain.attributes.map((a: any) => a.key)).not.toContain('webinfer.single_thread');
  });

  test('anomalies and web-vitals are log records; the batch id rides in the scope', () => {
    const [anomaly, vital] = (logs as any).resourceLogs[0].scopeLogs[0].logRecords;
    expect(anomaly).toMatchObject({ severityNumber: 13, body: { stringValue: 'latency in output "(call)" of vad@4.0.0' } });
    expect(vital.attributes).toContainEqual({ key: 'web_vital.value', value: { doubleValue: 123.4 } });
    expect((logs as any).resourceLogs[0].scopeLogs[0].scope.attributes).toContainEqual({
      key: 'webinfer.batch_id',
      value: { stringValue: 'b1' },
    });
  });

  test('each count lands in the bucket whose upper bound is the runtime bucket it came from', () => {
    for (const buckets of [
      [[0, 4]],
      [
        [0, 1],
        [85, 2],
      ],
      [
        [40, 3],
        [41, 1],
        [86, 5],
      ],
      [[86, 1]],
      [[17, 2]],
    ] as [number, number][][]) {
      const count = buckets.reduce((sum, [, n]) => sum + n, 0);
      const histograms = { total: { buckets, count, sum: 1 } };
      const { metrics } = otlpBodies({ ...beacon, metrics: [{ ...beacon.metrics[0], histograms } as never] }, 0);
      const [point] = (metrics as any).resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints;
      expect(point.bucketCounts).toHaveLength(point.explicitBounds.length + 1);
      const decoded = point.bucketCounts.flatMap((n: string, k: number) =>
        n === '0' ? [] : [[k < point.explicitBounds.length ? bucketOf(point.explicitBounds[k]) : bucketBounds.length, Number(n)]],
      );
      expect(decoded).toEqual(buckets);
    }
  });

  test('long frames: the two series add up to all of them', () => {
    const [frames] = (metrics as any).resourceMetrics[0].scopeMetrics[0].metrics.filter(
      (m: any) => m.name === 'webinfer.long_frames',
    );
    expect(frames.sum.dataPoints.map((p: any) => [p.attributes[0].value.boolValue, p.asInt])).toEqual([
      [false, '1'],
      [true, '1'],
    ]);
  });

  test('no logs body when there is nothing to log', () => {
    expect(otlpBodies({ ...beacon, anomalies: [], vitals: [] }, 0).logs).toBeUndefined();
  });
});
