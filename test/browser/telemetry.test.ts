import { afterAll, afterEach, expect, inject, test, vi } from 'vitest';
import type { Beacon, Runtime, RuntimeOptions } from '../../src/index.js';
import { models } from '../support/browser/models.js';
import { mlpExternalManifest, mlpManifest, updateScenario } from '../support/browser/update-server.js';
import { visits } from '../support/browser/visits.js';

/**
 * Telemetry against a real endpoint on loopback that records what arrives
 * (test/support/node/beacon-sink.ts): what a beacon carries, RELIABILITY.md 30 (batches split
 * under 32 KiB; `sendBeacon` refusing) and 31 (an unreachable collector: batches kept in
 * IndexedDB and delivered once, by a later visit), OTLP, and failures that never reach a run.
 */
const sink = inject('beaconSink');
const runtimes = visits();
afterAll(runtimes.closeAll);
afterEach(() => {
  Reflect.deleteProperty(navigator, 'sendBeacon'); // back to Navigator.prototype's
});

interface Arrival {
  path: string;
  query: string;
  contentType: string | null;
  body: string;
  otlpError: string | null;
  status: number;
}

let nextId = 0;
function endpoint() {
  const id = `t${Date.now()}-${nextId++}`;
  return {
    collect: `${sink}/${id}/collect`,
    base: `${sink}/${id}`,
    arrivals: async () => (await (await fetch(`${sink}/log/${id}`)).json()) as Arrival[],
    mode: (mode: 'ok' | 'down' | 'busy' | 'refuse') => fetch(`${sink}/mode/${id}/${mode}`, { method: 'POST' }),
  };
}

const delivered = (arrivals: Arrival[]) => arrivals.filter((a) => a.status === 204).map((a) => JSON.parse(a.body) as Beacon);
const x = (values: number[]) => ({ x: { type: 'float32' as const, data: Float32Array.from(values), dims: [1, 4] } });

function withTelemetry(telemetry: NonNullable<RuntimeOptions['telemetry']>, extra: RuntimeOptions = {}): Runtime {
  return runtimes.visit({ backends: ['wasm'], ...extra, telemetry: { intervalMs: 600_000, ...telemetry } });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || performance.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a beacon: text/plain JSON with the runs’ histograms and load phases, and none of the inputs', async () => {
  const at = endpoint();
  const rt = withTelemetry({ endpoint: at.collect });
  const model = await rt.load(models.mlpManifest);
  for (let i = 0; i < 20; i++) await model.run(x([0.123456, 7.654321, i, 2]));
  await rt.flushTelemetry();
  const arrivals = await at.arrivals();
  expect(arrivals.map((a) => [a.path, a.contentType])).toEqual([['/collect', 'text/plain;charset=UTF-8']]);
  const [beacon] = delivered(arrivals);
  expect(beacon).toMatchObject({ format: 'webinfer/beacon@1', seq: 1, sampleRate: 1, client: 'webinfer@0.1.0' });
  expect(beacon?.batchId).toMatch(/^[0-9a-f-]{36}$/);
  const [metrics] = beacon?.metrics ?? [];
  expect(metrics).toMatchObject({ model: 'mlp', version: '1.0.0', backend: 'wasm', runs: 20 });
  expect(metrics?.histograms.total?.count).toBe(20);
  expect(metrics?.histograms.inference?.count).toBe(20);
  expect(metrics?.histograms.session?.count).toBe(1);
  expect(metrics?.histograms.firstInference?.count).toBe(1);
  expect(arrivals[0]?.body).not.toMatch(/0\.123456|7\.654321/);
  // The page's web-vitals so far: TTFB at least (FCP and LCP wait for paints of a visible
  // page, which Vitest's test frame does not promise).
  expect(beacon?.vitals.map((v) => v.name)).toContain('TTFB');
  expect(beacon?.vitals.every((v) => v.value >= 0 && ['good', 'needs-improvement', 'poor'].includes(v.rating))).toBe(true);
  expect(rt.metrics().page?.vitals.TTFB?.value).toBeGreaterThanOrEqual(0);
  // The next flush says only what changed since.
  await model.run(x([1, 2, 3, 4]));
  await rt.flushTelemetry();
  const [, second] = delivered(await at.arrivals());
  expect(second).toMatchObject({ seq: 2, sessionId: beacon?.sessionId, metrics: [{ runs: 1 }] });
  expect(rt.metrics().page?.longFrames).toMatchObject({ count: expect.any(Number) });
});

test('31: an unreachable collector: batches wait in IndexedDB, and a later visit delivers each once', async () => {
  const at = endpoint();
  await at.mode('down');
  const first = withTelemetry({ endpoint: at.collect });
  const model = await first.load(models.mlpManifest);
  let runs = 0;
  for (let flush = 0; flush < 3; flush++) {
    for (let i = 0; i < 5; i++, runs++) await model.run(x([i, 1, 2, 3]));
    await first.flushTelemetry();
  }
  await first.close();
  expect(await at.arrivals()).toEqual([]);

  await at.mode('ok');
  withTelemetry({ endpoint: endpoint().collect }); // the next visit, reporting elsewhere
  await until(at.arrivals, (a) => a.length >= 3);
  await new Promise((resolve) => setTimeout(resolve, 300)); // and nothing more comes
  const arrivals = await at.arrivals();
  const beacons = delivered(arrivals);
  // Three flushes with runs (and, should web-vitals have changed at close, one more).
  expect(beacons.length).toBeGreaterThanOrEqual(3);
  expect(beacons).toHaveLength(arrivals.length);
  expect(new Set(beacons.map((b) => b.batchId)).size).toBe(beacons.length);
  expect(beacons.map((b) => b.seq)).toEqual(beacons.map((_, i) => i + 1));
  expect(beacons.reduce((sum, b) => sum + (b.metrics[0]?.runs ?? 0), 0)).toBe(runs);
});

test('30: a batch past 32 KiB goes as several beacons under it; what was cut is counted', async () => {
  const at = endpoint();
  const rt = withTelemetry({ endpoint: at.collect }, { anomalies: { intervalMs: 0 } });
  let events = 0;
  let nonFinite = 0;
  rt.on('anomaly', (event) => {
    events++;
    if (event.kind === 'non-finite') nonFinite++;
  });
  const model = await rt.load(models.mlpManifest);
  // NaN in, NaN out: two anomalies a run, every one an event (no rate limit here).
  for (let i = 0; i < 150; i++) await model.run(x([Number.NaN, 1, 2, 3]));
  // The worker's monitors tell of a run's input anomalies just after its reply.
  await vi.waitFor(() => expect(nonFinite).toBe(300));
  await rt.flushTelemetry();
  const arrivals = await at.arrivals();
  expect(arrivals.length).toBeGreaterThanOrEqual(2);
  for (const a of arrivals) expect(new TextEncoder().encode(a.body).length).toBeLessThanOrEqual(32 * 1024);
  const beacons = delivered(arrivals);
  const kept = beacons.flatMap((b) => b.anomalies);
  expect(kept).toHaveLength(200);
  // 300 non-finite ones, and on a busy machine maybe a latency spike or two besides.
  expect(events).toBeGreaterThanOrEqual(300);
  expect(beacons[0]?.dropped.anomalies).toBe(events - 200);
  expect(kept.filter((a) => a.kind !== 'non-finite').every((a) => a.kind === 'latency')).toBe(true);
});

test('30: on pagehide the batch goes by sendBeacon, by keepalive fetch when it refuses, else to the queue', async () => {
  const at = endpoint();
  const rt = withTelemetry({ endpoint: at.collect });
  const model = await rt.load(models.mlpManifest);
  await model.run(x([1, 2, 3, 4]));
  window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
  expect(await until(at.arrivals, (a) => a.length === 1)).toHaveLength(1);

  let refused = 0;
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: () => {
      refused++;
      return false;
    },
  });
  await model.run(x([1, 2, 3, 4]));
  window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
  expect(await until(at.arrivals, (a) => a.length === 2)).toHaveLength(2);
  expect(refused).toBe(1);

  // Neither: kept, and sent with the next batch once the endpoint answers.
  await at.mode('down');
  await model.run(x([1, 2, 3, 4]));
  window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await at.mode('ok');
  await model.run(x([1, 2, 3, 4]));
  await rt.flushTelemetry();
  const beacons = delivered(await until(at.arrivals, (a) => a.length === 4));
  expect(beacons.map((b) => b.seq).sort()).toEqual([1, 2, 3, 4]);
  expect(beacons.every((b) => b.metrics[0]?.runs === 1)).toBe(true);
});

test('OTLP: metrics and logs as OTLP/HTTP JSON that the OTLP protobuf definitions decode', async () => {
  const at = endpoint();
  // An ingest token in the endpoint's query stays after the /v1/… path.
  const rt = withTelemetry({ endpoint: `${at.base}/?token=s3cret`, transport: 'otlp' });
  const model = await rt.load(models.mlpManifest);
  for (let i = 0; i < 5; i++) await model.run(x([i, 1, 2, 3]));
  // The worker's monitors tell of a run's anomalies just after its reply.
  const noticed = new Promise((resolve) => rt.on('anomaly', resolve));
  await model.run(x([Number.NaN, 1, 2, 3]));
  await noticed;
  await rt.flushTelemetry();
  const arrivals = await at.arrivals();
  expect(arrivals.map((a) => [a.path, a.query, a.contentType, a.otlpError])).toEqual([
    ['/v1/metrics', '?token=s3cret', 'application/json', null],
    ['/v1/logs', '?token=s3cret', 'application/json', null],
  ]);
  const metrics = JSON.parse(arrivals[0]?.body ?? '{}');
  const names = metrics.resourceMetrics[0].scopeMetrics[0].metrics.map((m: { name: string }) => m.name);
  expect(names).toEqual(expect.arrayContaining(['webinfer.run.duration', 'webinfer.load.duration']));
  expect(arrivals[1]?.body).toContain('"webinfer.anomaly.kind","value":{"stringValue":"non-finite"}');
});

test('telemetry failures never reach a run: a busy or refusing endpoint; refusals are counted', async () => {
  const at = endpoint();
  await at.mode('refuse');
  const rt = withTelemetry({ endpoint: at.collect });
  const model = await rt.load(models.mlpManifest);
  await model.run(x([1, 2, 3, 4]));
  await rt.flushTelemetry();
  await at.mode('busy');
  await model.run(x([1, 2, 3, 4]));
  await rt.flushTelemetry();
  await at.mode('ok');
  await model.run(x([1, 2, 3, 4]));
  await rt.flushTelemetry();
  const arrivals = await at.arrivals();
  expect(arrivals.map((a) => a.status)).toEqual([400, 503, 204, 204]);
  const beacons = delivered(arrivals);
  // The refused batch is gone for good, and the next says so; the busy one came again.
  expect(beacons.map((b) => b.seq)).toEqual([3, 2]);
  expect(beacons.find((b) => b.seq === 2)?.dropped.rejected).toBe(1);
});

test('a session outside the sample rate sends nothing, and metrics stay on the page', async () => {
  const at = endpoint();
  const rt = withTelemetry({ endpoint: at.collect, sampleRate: 0 });
  const model = await rt.load(models.mlpManifest);
  await model.run(x([1, 2, 3, 4]));
  await rt.flushTelemetry();
  expect(await at.arrivals()).toEqual([]);
  expect(rt.metrics().models[0]?.runs).toBe(1);
});

test('a long frame while a model call is in flight is counted as during inference', async () => {
  const at = endpoint();
  const rt = withTelemetry({ endpoint: at.collect });
  const model = await rt.load(models.mlpManifest);
  const running = model.run(x([1, 2, 3, 4]));
  const start = performance.now();
  while (performance.now() - start < 120); // the page busy while the worker answers
  await running;
  await new Promise((resolve) => setTimeout(resolve, 100)); // frame entries arrive after the frame
  await rt.flushTelemetry();
  const [beacon] = delivered(await at.arrivals());
  expect(beacon?.longFrames.count).toBeGreaterThanOrEqual(1);
  expect(beacon?.longFrames.duringInference).toBeGreaterThanOrEqual(1);
  expect(beacon?.longFrames.blockingMsDuringInference).toBeGreaterThan(0);
  expect(rt.metrics().page?.longFrames.duringInference).toBeGreaterThanOrEqual(1);
});

test('a version swapped in and one given up go out as transitions', async () => {
  const at = endpoint();
  const rt = withTelemetry({ endpoint: at.collect });
  const scenario = updateScenario();
  await scenario.setManifest(await mlpManifest('1.0.0'));
  const model = await rt.load(scenario.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false, rollback: false } });
  expect(await model.checkForUpdate()).toMatchObject({ outcome: 'current' });
  await scenario.setManifest(await mlpExternalManifest('2.0.0'));
  expect(await model.checkForUpdate()).toMatchObject({ outcome: 'updated' });
  expect(await model.rollback()).toBe('1.0.0');
  await rt.flushTelemetry();
  const beacons = delivered(await until(at.arrivals, (a) => a.length > 0));
  expect(beacons.flatMap((b) => b.transitions ?? [])).toMatchObject([
    {
      model: 'mlp-update',
      kind: 'update',
      from: '1.0.0',
      to: '2.0.0',
      reason: 'manual',
      inFlight: 0,
      preparedMs: expect.any(Number),
    },
    { model: 'mlp-update', kind: 'rollback', from: '2.0.0', to: '1.0.0', reason: 'manual' },
  ]);
});
