import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bucketBounds, Histogram } from '../../src/monitor/histogram.js';
import type { Beacon, HistogramDelta } from '../../src/telemetry/beacon.js';
import { otlpBodies } from '../../src/telemetry/otlp.js';
import { beacon, post, startCollector } from './support.js';

/**
 * The query API over real HTTP on loopback, answering from a real SQLite file: beacons of known
 * figures sent for minutes of the last hour come back as counts, percentiles, anomalies and
 * vitals per model, version and window.
 */
const minute = 60_000;
const now = Math.floor(Date.now() / minute) * minute + 30_000;
let running: Awaited<ReturnType<typeof startCollector>>;
let dashboardDir: string;

/** Latencies (s) for the vad model, one list per minute back from now: what its beacons carry. */
const vadMinutes = [5, 4, 3].map((back) => ({
  back,
  latencies: Array.from({ length: 200 }, (_, i) => 0.002 + ((i * 7919) % 200) * (0.0001 * back)),
}));

function deltaOf(latencies: readonly number[]): HistogramDelta {
  const histogram = new Histogram();
  for (const s of latencies) histogram.record(s);
  const { counts, count, sum } = histogram.snapshot();
  return { buckets: counts.flatMap((n, i) => (n > 0 ? [[i, n] as const] : [])), count, sum };
}

async function get(path: string) {
  const response = await fetch(`${running.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dashboardDir = mkdtempSync(join(tmpdir(), 'webinfer-dashboard-'));
  mkdirSync(join(dashboardDir, 'assets'));
  writeFileSync(
    join(dashboardDir, 'index.html'),
    '<!doctype html><title>webinfer</title><script type="module" src="./assets/a-1.js"></script>',
  );
  writeFileSync(join(dashboardDir, 'assets', 'a-1.js'), 'export {};');
  running = await startCollector({ now: () => now, dashboardDir });
  const sends: Beacon[] = [];
  for (const { back, latencies } of vadMinutes) {
    // Each minute's calls in two beacons, to be added together; a second backend in one of them.
    const half = latencies.length / 2;
    for (const [part, backend] of [
      [latencies.slice(0, half), 'wasm'],
      [latencies.slice(half), back === 3 ? 'webgpu' : 'wasm'],
    ] as const) {
      sends.push(
        beacon({
          sentAt: now - back * minute,
          metrics: [
            {
              model: 'vad',
              version: '5.0.0',
              backend,
              runs: part.length,
              errors: back === 4 ? { 'call-timeout': 2 } : {},
              histograms: { total: deltaOf(part), inference: deltaOf(part.map((s) => s / 2)) },
            },
          ],
          anomalies: [],
          vitals: [],
        }),
      );
    }
  }
  sends.push(
    beacon({
      sentAt: now - 2 * minute,
      metrics: [
        {
          model: 'classifier',
          version: '1.1.0',
          backend: 'webgpu',
          runs: 10,
          errors: {},
          histograms: { total: deltaOf(Array(10).fill(0.05)), load: deltaOf([1.5]) },
        },
      ],
      anomalies: [
        {
          model: 'classifier',
          version: '1.1.0',
          backend: 'webgpu',
          kind: 'drift',
          tensor: 'x',
          where: 'input',
          details: { psi: 0.4 },
          at: now - 2 * minute,
          suppressed: 0,
        },
        {
          model: 'classifier',
          version: '1.1.0',
          backend: 'webgpu',
          kind: 'non-finite',
          tensor: 'y',
          where: 'output',
          details: { count: 3 },
          at: now - 2 * minute + 1_000,
          suppressed: 4,
        },
      ],
      vitals: [
        { name: 'LCP', value: 1200, rating: 'good', id: 'v5-1', navigationType: 'navigate' },
        { name: 'LCP', value: 3000, rating: 'needs-improvement', id: 'v5-2', navigationType: 'navigate' },
        { name: 'LCP', value: 5000, rating: 'poor', id: 'v5-3', navigationType: 'reload' },
        { name: 'LCP', value: 1500, rating: 'good', id: 'v5-4', navigationType: 'navigate' },
        { name: 'CLS', value: 0.05, rating: 'good', id: 'v5-5', navigationType: 'navigate' },
      ],
    }),
  );
  sends.push(
    beacon({
      sentAt: now - minute,
      metrics: [],
      anomalies: [],
      vitals: [],
      transitions: [
        {
          model: 'vad',
          kind: 'update',
          from: '5.0.0',
          to: '5.1.0',
          reason: 'interval',
          at: now - minute,
          inFlight: 3,
          preparedMs: 420,
        },
        { model: 'vad', kind: 'rollback', from: '5.1.0', to: '5.0.0', reason: 'anomalies', at: now - minute + 5_000 },
      ],
    }),
  );
  for (const sent of sends) expect(await post(`${running.url}/collect`, JSON.stringify(sent))).toMatchObject({ status: 204 });
});
afterAll(async () => {
  await running.stop();
  rmSync(dashboardDir, { recursive: true, force: true });
});

test('/api/models: each model version, its calls, errors, anomalies and backends', async () => {
  const { status, body } = await get('/api/models');
  expect(status).toBe(200);
  expect(body).toMatchObject({ from: now - 3_600_000, to: now });
  expect(body.models).toEqual([
    {
      model: 'classifier',
      version: '1.1.0',
      runs: 10,
      errors: 0,
      anomalies: 2,
      backends: { webgpu: 10 },
      lastAt: now - 30_000 - 2 * minute,
    },
    {
      model: 'vad',
      version: '5.0.0',
      runs: 600,
      errors: 4,
      anomalies: 0,
      backends: { wasm: 500, webgpu: 100 },
      lastAt: now - 30_000 - 3 * minute,
    },
  ]);
  // A window that holds only the newest minute of vad calls.
  const recent = await get(`/api/models?from=${now - 3 * minute}&model=vad`);
  expect(recent.body.models).toEqual([
    expect.objectContaining({ model: 'vad', runs: 200, backends: { wasm: 100, webgpu: 100 } }),
  ]);
});

test('/api/latency: calls and percentiles per window, as the page itself would read them', async () => {
  const { status, body } = await get(`/api/latency?model=vad&version=5.0.0&from=${now - 6 * minute}&step=${minute}`);
  expect(status).toBe(200);
  expect(body).toMatchObject({ step: minute, phase: 'total' });
  const points = body.points as {
    at: number;
    runs: number;
    errors: number;
    count: number;
    p50: number | null;
    p99: number | null;
  }[];
  expect(points.map((p) => p.runs)).toEqual([0, 200, 200, 200, 0, 0, 0]);
  expect(points.map((p) => p.errors)).toEqual([0, 0, 4, 0, 0, 0, 0]);
  expect(points[0]).toMatchObject({ count: 0, p50: null, p99: null });
  for (const { back, latencies } of vadMinutes) {
    const point = points.find((p) => p.at === now - 30_000 - back * minute);
    const page = new Histogram();
    for (const s of latencies) page.record(s);
    // Same buckets, same interpolation: the collector's percentile is the page's, within one bucket.
    for (const [q, key] of [
      [0.5, 'p50'],
      [0.99, 'p99'],
    ] as const) {
      const ratio = (point?.[key] as number) / page.quantile(q);
      expect(ratio).toBeGreaterThan(2 ** -0.25);
      expect(ratio).toBeLessThan(2 ** 0.25);
    }
  }
  const inference = await get(`/api/latency?model=vad&phase=inference&from=${now - 6 * minute}&step=${3 * minute}`);
  expect((inference.body.points as { count: number }[]).map((p) => p.count)).toEqual([400, 200, 0]);
});

test('/api/phases: every phase over the window, run phases first', async () => {
  const { body } = await get('/api/phases?model=classifier');
  const phases = body.phases as { phase: string; count: number; p50: number; mean: number }[];
  expect(phases.map((p) => p.phase)).toEqual(['total', 'load']);
  expect(phases[0]).toMatchObject({ count: 10 });
  expect(phases[0]?.mean).toBeCloseTo(0.05, 10);
  expect(phases[1]?.p50).toBeGreaterThan(bucketBounds[Math.ceil(4 * Math.log2(1.5 / 5e-5)) - 1] as number);
  expect(phases[1]?.p50).toBeLessThanOrEqual(1.5 * 2 ** 0.25);
});

test('/api/anomalies: counts by kind (rate-limited ones in), the newest first', async () => {
  const { body } = await get('/api/anomalies?limit=1');
  expect(body.byKind).toEqual({ drift: 1, 'non-finite': 5 });
  expect(body.recent).toEqual([
    {
      at: now - 2 * minute + 1_000,
      model: 'classifier',
      version: '1.1.0',
      backend: 'webgpu',
      kind: 'non-finite',
      tensor: 'y',
      where: 'output',
      details: { count: 3 },
      suppressed: 4,
    },
  ]);
  expect((await get('/api/anomalies?model=vad')).body).toMatchObject({ byKind: {}, recent: [] });
});

test('/api/vitals: p75 and counts by rating', async () => {
  const { body } = await get('/api/vitals');
  const vitals = body.vitals as {
    name: string;
    count: number;
    p75: number;
    good: number;
    needsImprovement: number;
    poor: number;
  }[];
  expect(vitals.map(({ p75, ...rest }) => rest)).toEqual([
    { name: 'CLS', count: 1, good: 1, needsImprovement: 0, poor: 0 },
    { name: 'LCP', count: 4, good: 2, needsImprovement: 1, poor: 0 + 1 },
  ]);
  // Four LCPs: 1.2, 1.5, 3 and 5 s. Their p75 lies in 3 s's bucket.
  const lcp = vitals[1]?.p75 as number;
  expect(lcp).toBeGreaterThan(3000 * 2 ** -0.25);
  expect(lcp).toBeLessThanOrEqual(3000 * 2 ** 0.25);
});

test('/api/transitions and /metrics: versions swapped in and given up on pages', async () => {
  const { body } = await get('/api/transitions?model=vad');
  expect(body.transitions).toEqual([
    {
      at: now - minute + 5_000,
      model: 'vad',
      kind: 'rollback',
      from: '5.1.0',
      to: '5.0.0',
      reason: 'anomalies',
      inFlight: null,
      preparedMs: null,
    },
    {
      at: now - minute,
      model: 'vad',
      kind: 'update',
      from: '5.0.0',
      to: '5.1.0',
      reason: 'interval',
      inFlight: 3,
      preparedMs: 420,
    },
  ]);
  expect((await get('/api/transitions?model=vad&version=5.0.0&limit=1')).body.transitions).toHaveLength(1);
  expect((await get('/api/transitions?model=classifier')).body.transitions).toEqual([]);
  const metrics = await (await fetch(`${running.url}/metrics`)).text();
  expect(metrics).toContain('webinfer_model_updates_total{model="vad",version="5.1.0",reason="interval"} 1');
  expect(metrics).toContain('webinfer_model_rollbacks_total{model="vad",version="5.1.0",reason="anomalies"} 1');
});

test('a transition with a reason webinfer does not give is refused, naming the field', async () => {
  const sent = beacon({
    transitions: [{ model: 'vad', kind: 'update', from: '1', to: '2', reason: 'because', at: now }],
  } as never);
  expect(await post(`${running.url}/collect`, JSON.stringify(sent))).toMatchObject({
    status: 422,
    body: { error: 'schema', field: 'transitions.0.reason' },
  });
});

test('over OTLP, transitions are log records that land in the same table', async () => {
  const sent = beacon({
    sentAt: now,
    metrics: [],
    anomalies: [],
    vitals: [],
    transitions: [
      {
        model: 'otlp-model',
        kind: 'update',
        from: '1.0.0',
        to: '2.0.0',
        reason: 'load',
        at: now - 1_000,
        inFlight: 0,
        preparedMs: 12,
      },
    ],
  });
  const { logs } = otlpBodies(sent, now - 10_000);
  const answer = await fetch(`${running.url}/v1/logs`, {
    method: 'POST',
    body: JSON.stringify(logs),
    headers: { 'Content-Type': 'application/json' },
  });
  expect([answer.status, await answer.json()]).toEqual([200, {}]);
  expect((await get('/api/transitions?model=otlp-model')).body.transitions).toEqual([
    {
      at: now - 1_000,
      model: 'otlp-model',
      kind: 'update',
      from: '1.0.0',
      to: '2.0.0',
      reason: 'load',
      inFlight: 0,
      preparedMs: 12,
    },
  ]);
});

describe('bad parameters: 400 naming the field', () => {
  test.each([
    ['/api/models?from=abc', 'from'],
    ['/api/models?colour=red', 'colour'],
    ['/api/models?version=1.0.0', 'version'],
    [`/api/models?from=${now}&to=${now - 1}`, 'from'],
    [`/api/models?from=${now - 40 * 86_400_000}`, 'from'],
    ['/api/latency?phase=everything', 'phase'],
    ['/api/latency?step=1000', 'step'],
    [`/api/latency?from=${now - 30 * 86_400_000}&step=60000`, 'step'],
    ['/api/anomalies?limit=0', 'limit'],
    [`/api/models?model=${'m'.repeat(200)}`, 'model'],
  ])('%s', async (path, field) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'query', field });
  });
});

test('the dashboard page: / sends to it, its files are served with a strict CSP, nothing else', async () => {
  const root = await fetch(`${running.url}/`, { redirect: 'manual' });
  expect(root.status).toBe(302);
  expect(root.headers.get('location')).toBe('/dashboard/');
  const page = await fetch(`${running.url}/dashboard/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
  expect(await page.text()).toContain('<title>webinfer</title>');
  const asset = await fetch(`${running.url}/dashboard/assets/a-1.js`);
  expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  for (const path of ['/dashboard/../package.json', '/dashboard/%2e%2e/%2e%2e/etc/passwd', '/dashboard/assets/missing.js']) {
    expect((await fetch(`${running.url}${path}`)).status).toBe(404);
  }
});
