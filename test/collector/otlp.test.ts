import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bucketBounds } from '../../src/monitor/histogram.js';
import type { Beacon } from '../../src/telemetry/beacon.js';
import { otlpBodies } from '../../src/telemetry/otlp.js';
import { beacon, post, startCollector, seriesValue as value } from './support.js';

/**
 * `POST /v1/metrics` and `/v1/logs` over real HTTP on loopback into a real SQLite file: what
 * webinfer's own OTLP transport sends lands where the same beacon sent to `/collect` lands, once
 * however often it comes; what is not webinfer's is answered with OTLP's partial success; what is
 * off the closed schema or not JSON is refused with no row written.
 */
type Running = Awaited<ReturnType<typeof startCollector>>;
let running: Running;
const sumOf = (r: Running, sql: string) => (r.collector.store.db.prepare(sql).get() as { n: number }).n;
/** Rows of batches and anomalies; calls and vitals as added into the minute rollups. */
const rowsOf = (r: Running) => ({
  batches: r.count('batches'),
  anomalies: r.count('anomalies'),
  runs: sumOf(r, 'SELECT coalesce(sum(runs), 0) AS n FROM run_minutes'),
  vitals: sumOf(r, 'SELECT coalesce(sum(good + needs_improvement + poor), 0) AS n FROM vital_minutes'),
});
const json = { 'Content-Type': 'application/json' };
const send = (r: Running, signal: 'metrics' | 'logs', body: unknown, headers: Record<string, string> = json) =>
  post(`${r.url}/v1/${signal}`, typeof body === 'string' ? body : JSON.stringify(body), headers);

beforeAll(async () => {
  running = await startCollector();
});
afterAll(() => running.stop());

/** A beacon with every part the runtime fills: load phases, feedback, regression errors, drops, a CLS. */
function fullBeacon(): Beacon {
  const base = beacon({
    sampleRate: 0.5,
    longFrames: { count: 3, duringInference: 1, blockingMs: 90, blockingMsDuringInference: 40 },
    dropped: { batches: 2, anomalies: 1, rejected: 3 },
  });
  const [model] = base.metrics;
  return {
    ...base,
    metrics: [
      {
        ...(model as Beacon['metrics'][number]),
        errors: { 'call-timeout': 1, 'worker-crashed': 2 },
        histograms: {
          ...model?.histograms,
          inference: { buckets: [[38, 3]], count: 3, sum: 0.009 },
          load: { buckets: [[60, 1]], count: 1, sum: 0.9 },
          absoluteError: {
            buckets: [
              [0, 1],
              [86, 1],
            ],
            count: 2,
            sum: 150.5,
          },
        },
        feedback: { count: 5, correct: 4 },
      },
      { model: 'asr', version: '1.0.0', backend: 'webgpu', runs: 0, errors: { oom: 1 }, histograms: {} },
    ],
    vitals: [...base.vitals, { name: 'CLS', value: 0.05, rating: 'good', id: 'v5-2', navigationType: 'navigate' }],
  };
}

/** A table's rows in a stable order, without the columns in `drop`, its JSON columns parsed. */
const rowsWithout = (r: Running, table: string, drop: string[] = []) =>
  (r.collector.store.db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[])
    .map((row) => {
      const kept = Object.fromEntries(Object.entries(row).filter(([column]) => !drop.includes(column)));
      for (const column of ['histograms', 'errors', 'details', 'values']) {
        if (typeof kept[column] === 'string') kept[column] = JSON.parse(kept[column] as string);
      }
      return kept;
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
/** 200 with OTLP's empty export response: everything in the body was taken. */
function expectAllTaken(answer: Awaited<ReturnType<typeof post>>) {
  expect(answer.status).toBe(200);
  expect(answer.body).toStrictEqual({});
}
const scrape = async (r: Running) => (await fetch(`${r.url}/metrics`)).text();

test('the runtime’s own OTLP bodies land as the beacon sent to /collect does: same rows, same /metrics; sent again, stored once', async () => {
  const viaOtlp = await startCollector();
  const viaCollect = await startCollector();
  try {
    const sent = fullBeacon();
    const bodies = otlpBodies(sent, sent.sentAt - 30_000);
    expectAllTaken(await send(viaOtlp, 'metrics', bodies.metrics));
    expectAllTaken(await send(viaOtlp, 'logs', bodies.logs));
    expect((await post(`${viaCollect.url}/collect`, JSON.stringify(sent))).status).toBe(204);

    // One batch for the metrics body and one for the logs body (same batch id, another endpoint).
    expect(rowsOf(viaOtlp)).toEqual({ batches: 2, runs: 3, anomalies: 1, vitals: 2 });
    expect(rowsOf(viaCollect)).toEqual({ batches: 1, runs: 3, anomalies: 1, vitals: 2 });
    expect(rowsWithout(viaOtlp, 'run_minutes')).toHaveLength(2);
    expect(rowsWithout(viaOtlp, 'run_minutes')).toEqual(rowsWithout(viaCollect, 'run_minutes'));
    expect(rowsWithout(viaOtlp, 'anomalies', ['batch_id'])).toEqual(rowsWithout(viaCollect, 'anomalies', ['batch_id']));
    expect(rowsWithout(viaOtlp, 'vital_minutes')).toEqual(rowsWithout(viaCollect, 'vital_minutes'));
    // Blocking time has no OTLP metric in the runtime's encoding: 0 there.
    const batchColumns = ['batch_id', 'received_at', 'blocking_ms', 'blocking_ms_during_inference'];
    const metricsBatch = rowsWithout(viaOtlp, 'batches', batchColumns).find((row) => row.long_frames === 3);
    expect(metricsBatch).toEqual(rowsWithout(viaCollect, 'batches', batchColumns)[0]);
    expect(metricsBatch).toMatchObject({ session_id: sent.sessionId, seq: sent.seq, sample_rate: 0.5, client: 'webinfer@0.1.0' });

    const [otlpText, collectText] = await Promise.all([scrape(viaOtlp), scrape(viaCollect)]);
    const figures = (text: string) => text.split('\n').filter((line) => !line.startsWith('webinfer_beacons_received_total'));
    expect(figures(otlpText)).toEqual(figures(collectText));
    expect(value(collectText, 'webinfer_runs_total{model="vad",version="5.0.0",backend="wasm"}')).toBe(3);
    expect(value(otlpText, 'webinfer_beacons_received_total')).toBe(2);

    expectAllTaken(await send(viaOtlp, 'metrics', bodies.metrics));
    expectAllTaken(await send(viaOtlp, 'logs', bodies.logs));
    expect(rowsOf(viaOtlp)).toEqual({ batches: 2, runs: 3, anomalies: 1, vitals: 2 });
    expect(value(await scrape(viaOtlp), 'webinfer_beacons_duplicate_total')).toBe(2);
  } finally {
    await Promise.all([viaOtlp.stop(), viaCollect.stop()]);
  }
});

const now = () => `${Date.now()}000000`;
const str = (key: string, stringValue: string) => ({ key, value: { stringValue } });
const labels = [str('webinfer.model', 'vad'), str('webinfer.version', '5.0.0'), str('webinfer.backend', 'wasm')];
const histogram = (name: string, attributes: unknown[], point: Record<string, unknown> = {}, temporality = 1) => ({
  name,
  histogram: {
    aggregationTemporality: temporality,
    dataPoints: [
      { attributes, timeUnixNano: now(), count: '3', sum: 0.5, bucketCounts: ['1', '2'], explicitBounds: [0.1], ...point },
    ],
  },
});
const metricsBody = (metrics: unknown[], scope: Record<string, unknown> = {}) => ({
  resourceMetrics: [{ resource: { attributes: [str('service.name', 'shop')] }, scopeMetrics: [{ scope, metrics }] }],
});
const total = histogram('webinfer.run.duration', [...labels, str('webinfer.phase', 'total')]);

test('a 200 answer is OTLP’s ExportMetricsServiceResponse: {} when all was taken, else partialSuccess with a decimal count', async () => {
  const full = await send(running, 'metrics', metricsBody([total]));
  expect(full.status).toBe(200);
  expect(full.headers.get('content-type')).toMatch(/^application\/json/);
  expect(full.body).toStrictEqual({});

  const partial = await send(running, 'metrics', metricsBody([total, histogram('http.server.duration', [])]));
  expect(partial.status).toBe(200);
  expect(partial.body).toStrictEqual({
    partialSuccess: { rejectedDataPoints: '1', errorMessage: expect.stringContaining('http.server.duration') },
  });
});

describe('what is not webinfer’s is counted in partialSuccess and not stored', () => {
  test.each([
    ['another metric name', [histogram('http.server.duration', labels)]],
    ['cumulative temporality', [histogram('webinfer.run.duration', [...labels, str('webinfer.phase', 'total')], {}, 2)]],
    ['no webinfer.model', [histogram('webinfer.run.duration', [str('webinfer.phase', 'total')])]],
    ['a phase that is not a run phase', [histogram('webinfer.run.duration', [...labels, str('webinfer.phase', 'network')])]],
    ['a gauge where a sum belongs', [{ name: 'webinfer.run.errors', gauge: { dataPoints: [{ asInt: '1' }, { asInt: '2' }] } }]],
  ])('%s', async (_, metrics) => {
    const before = rowsOf(running);
    const answer = await send(running, 'metrics', metricsBody(metrics));
    expect(answer.status).toBe(200);
    const points = metrics.reduce((n, m) => n + (Object.values(m)[1] as { dataPoints: unknown[] }).dataPoints.length, 0);
    expect(answer.body).toMatchObject({ partialSuccess: { rejectedDataPoints: String(points) } });
    expect(rowsOf(running)).toEqual(before);
  });

  test('webinfer’s points beside foreign ones are stored; foreign log records are counted', async () => {
    const before = rowsOf(running);
    const answer = await send(running, 'metrics', metricsBody([histogram('http.client.duration', []), total]));
    expect(answer.body).toMatchObject({ partialSuccess: { rejectedDataPoints: '1' } });
    expect(rowsOf(running)).toMatchObject({ batches: before.batches + 1, runs: before.runs + 3 });

    const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hi' }, eventName: 'app.click' }] }] }] };
    const logged = await send(running, 'logs', logs);
    expect(logged).toMatchObject({ status: 200, body: { partialSuccess: { rejectedLogRecords: '1' } } });
  });
});

test('histograms with other bounds go, whole, to the runtime bucket holding each upper bound', async () => {
  const bounds = [0.001, 0.01, 0.1];
  const rebucketLabels = [str('webinfer.model', 'rebucket'), ...labels.slice(1)];
  const point = { count: '10', sum: 1, bucketCounts: ['1', '2', '3', '4'], explicitBounds: bounds };
  const batch = { key: 'webinfer.batch_id', value: { stringValue: 'rebucket-1' } };
  const answer = await send(
    running,
    'metrics',
    metricsBody([histogram('webinfer.run.duration', [...rebucketLabels, str('webinfer.phase', 'total')], point)], {
      attributes: [batch],
    }),
  );
  expectAllTaken(answer);
  const row = running.collector.store.db.prepare("SELECT histograms, runs FROM run_minutes WHERE model = 'rebucket'").get() as {
    histograms: string;
    runs: number;
  };
  const at = (bound: number) => bucketBounds.findIndex((b) => b >= bound);
  expect(JSON.parse(row.histograms)).toEqual({
    total: { buckets: { [at(0.001)]: 1, [at(0.01)]: 2, [at(0.1)]: 3, 86: 4 }, count: 10, sum: 1 },
  });
  expect(at(0.001)).toBe(18);
  expect(row.runs).toBe(10);
});

test('a body without a batch id is its own batch: sent twice, stored once; another body, another batch', async () => {
  const before = rowsOf(running);
  // Not sent before in this file (`total` was: the same text, the same batch).
  const body = JSON.stringify(metricsBody([histogram('webinfer.run.duration', [...labels, str('webinfer.phase', 'queue')])]));
  expect((await send(running, 'metrics', body)).status).toBe(200);
  expect((await send(running, 'metrics', body)).status).toBe(200);
  expect(running.count('batches')).toBe(before.batches + 1);
  expect((await send(running, 'metrics', `${body} `)).status).toBe(200);
  expect(running.count('batches')).toBe(before.batches + 2);
});

describe('what is refused, with no row written', () => {
  const long = 'x'.repeat(257);
  test.each([
    ['an unknown field', metricsBody([{ ...total, extra: 1 }]), 'resourceMetrics.0.scopeMetrics.0.metrics.0.extra'],
    [
      'an unknown field in a point',
      metricsBody([histogram('webinfer.run.duration', labels, { note: 'x' })]),
      'resourceMetrics.0.scopeMetrics.0.metrics.0.histogram.dataPoints.0.note',
    ],
    [
      'an over-long attribute value',
      metricsBody([histogram('webinfer.run.duration', [str('webinfer.model', long)])]),
      'resourceMetrics.0.scopeMetrics.0.metrics.0.histogram.dataPoints.0.attributes.0.value.stringValue',
    ],
    [
      'an array attribute value',
      metricsBody([histogram('x', [{ key: 'k', value: { arrayValue: { values: [] } } }])]),
      'resourceMetrics.0.scopeMetrics.0.metrics.0.histogram.dataPoints.0.attributes.0.value.arrayValue',
    ],
    [
      'an attribute value of two kinds',
      metricsBody([histogram('x', [{ key: 'k', value: { stringValue: 'a', intValue: '1' } }])]),
      'resourceMetrics.0.scopeMetrics.0.metrics.0.histogram.dataPoints.0.attributes.0.value',
    ],
    ['more than 64 metrics', metricsBody(Array.from({ length: 65 }, () => total)), 'resourceMetrics.0.scopeMetrics.0.metrics'],
    [
      'bucket counts that do not fit the bounds',
      metricsBody([histogram('webinfer.run.duration', labels, { bucketCounts: ['1'] })]),
      'resourceMetrics.0.scopeMetrics.0.metrics.0.histogram.dataPoints.0',
    ],
    [
      'a count that is not an integer',
      metricsBody([histogram('x', [], { count: '1.5' })]),
      'resourceMetrics.0.scopeMetrics.0.metrics.0.histogram.dataPoints.0.count',
    ],
    [
      'a model name past the beacon’s 128 characters',
      metricsBody([
        histogram('webinfer.run.duration', [
          str('webinfer.model', 'm'.repeat(129)),
          ...labels.slice(1),
          str('webinfer.phase', 'total'),
        ]),
      ]),
      'resourceMetrics.0.scopeMetrics.0 (as beacon: metrics.0.model)',
    ],
    [
      'an error code that reaches the prototype',
      metricsBody([
        {
          name: 'webinfer.run.errors',
          sum: {
            aggregationTemporality: 1,
            dataPoints: [{ asInt: '1', attributes: [...labels, str('error.code', '__proto__')] }],
          },
        },
      ]),
      'resourceMetrics.0.scopeMetrics.0 (as beacon: metrics.0.errors.__proto__)',
    ],
  ])('%s: 422 naming the field', async (_, body, field) => {
    const before = rowsOf(running);
    const answer = await send(running, 'metrics', body);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: 'schema', field });
    expect(answer.body).toHaveProperty('expected');
    expect(answer.body).toHaveProperty('received');
    expect(rowsOf(running)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('an unknown field in a log record: 422 naming it', async () => {
    const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ eventName: 'webinfer.anomaly', severity: 'WARN' }] }] }] };
    const answer = await send(running, 'logs', logs);
    expect(answer).toMatchObject({
      status: 422,
      body: { error: 'schema', field: 'resourceLogs.0.scopeLogs.0.logRecords.0.severity' },
    });
  });

  test.each([
    ['text that is not JSON', () => send(running, 'metrics', '{"resourceMetrics": ['), 400, 'bad-request'],
    ['an empty body', () => send(running, 'logs', ''), 400, 'bad-request'],
    [
      'a body over 64 KiB',
      () => send(running, 'metrics', metricsBody([histogram('webinfer.run.duration', labels, { note: 'x'.repeat(70 * 1024) })])),
      413,
      'too-large',
    ],
    ['a __proto__ key', () => send(running, 'metrics', '{"__proto__": {"polluted": true}}'), 400, 'bad-request'],
    [
      'a nested __proto__ key',
      () => send(running, 'logs', '{"resourceLogs": [{"__proto__": {"polluted": true}}]}'),
      400,
      'bad-request',
    ],
    [
      'OTLP protobuf',
      () => send(running, 'metrics', '\u000a\u0000', { 'Content-Type': 'application/x-protobuf' }),
      415,
      'unsupported-type',
    ],
    ['text/plain', () => send(running, 'logs', '{}', { 'Content-Type': 'text/plain' }), 415, 'unsupported-type'],
  ])('%s: %i', async (_, answer, status, error) => {
    const before = rowsOf(running);
    const got = await answer();
    expect(got.status).toBe(status);
    expect(got.body).toMatchObject({ error });
    if (status === 415) expect(got.body?.message).toMatch(/JSON only/);
    expect(rowsOf(running)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

test('with a token configured: 401 without it, 200 with it', async () => {
  const guarded = await startCollector({ token: 'secret-token' });
  try {
    expect((await send(guarded, 'metrics', metricsBody([total]))).status).toBe(401);
    expect((await send(guarded, 'metrics', metricsBody([total]), { ...json, Authorization: 'Bearer nope' })).status).toBe(401);
    const ok = await send(guarded, 'metrics', metricsBody([total]), { ...json, Authorization: 'Bearer secret-token' });
    expectAllTaken(ok);
    expect(guarded.count('batches')).toBe(1);
  } finally {
    await guarded.stop();
  }
});

test('the rate limit per key covers the OTLP routes', async () => {
  const limited = await startCollector({ rateLimit: { max: 2, windowMs: 60_000 } });
  try {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(limited, 'logs', { resourceLogs: [] })).status);
    expect(statuses).toEqual([200, 200, 429]);
  } finally {
    await limited.stop();
  }
});
