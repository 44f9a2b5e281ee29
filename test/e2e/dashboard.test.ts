/**
 * The collector's dashboard page, built as `npm run build` builds it and served by a real
 * collector: beacons of two models (one with an anomaly, one with load phases, an update and a
 * rollback) and web vitals are posted to `/collect`, then `/dashboard/` is opened in Chromium
 * under the collector's own CSP and read as an operator would read it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Collector, createCollector } from '../../src/collector/create-collector.js';
import { bucketBounds, bucketOf } from '../../src/monitor/histogram.js';
import type { HistogramDelta, MetricsDelta, TransitionRecord } from '../../src/telemetry/beacon.js';
import { beacon, post } from '../collector/support.js';
import { baseChromiumArgs, chromiumPath } from '../support/node/chromium.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dashboardDir = join(repoRoot, 'dist/dashboard');
const screenshots = join(repoRoot, 'test-results');
/** Neighbouring histogram buckets are 2^(1/4) apart: a quantile is exact to within one. */
const bucketRatio = (bucketBounds[1] as number) / (bucketBounds[0] as number);

/** What the in-page checks use of the DOM, which this Node-typed file has no lib for. */
interface PageGlobals {
  readonly document: { readonly documentElement: unknown; readonly body: unknown };
  getComputedStyle(element: unknown): { getPropertyValue(name: string): string; readonly backgroundColor: string };
}
interface Canvas {
  readonly width: number;
  readonly height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray } } | null;
}

/** Seconds as a beacon's histogram delta. */
function histogram(seconds: readonly number[]): HistogramDelta {
  const buckets = new Map<number, number>();
  for (const s of seconds) buckets.set(bucketOf(s), (buckets.get(bucketOf(s)) ?? 0) + 1);
  return { buckets: [...buckets], count: seconds.length, sum: seconds.reduce((a, b) => a + b, 0) };
}

const vadWasm: MetricsDelta = {
  model: 'vad',
  version: '5.0.0',
  backend: 'wasm',
  runs: 3,
  errors: { 'call-timeout': 1 },
  histograms: { total: histogram([0.012, 0.014, 0.03]), inference: histogram([0.009, 0.01, 0.025]) },
};
const vadWebgpu: MetricsDelta = {
  model: 'vad',
  version: '5.0.0',
  backend: 'webgpu',
  runs: 5,
  errors: {},
  histograms: { total: histogram([0.004, 0.005, 0.005, 0.006, 0.02]) },
};
const classifier: MetricsDelta = {
  model: 'image-classifier',
  version: '1.2.0',
  backend: 'webgpu',
  runs: 7,
  errors: {},
  histograms: {
    total: histogram([0.04, 0.045, 0.05, 0.05, 0.06, 0.08, 0.2]),
    load: histogram([1.8]),
    network: histogram([1.2]),
  },
};
/** Calls as the page counts them: the runs that returned and the ones that failed. */
const postedCalls = 3 + 1 + 5 + 7;
const postedLcpMs = 1200;

/** vad swapped in 5.1.0, then gave it up for 5.0.0: the page lists the rollback first. */
function vadTransitions(now: number): TransitionRecord[] {
  return [
    {
      model: 'vad',
      kind: 'update',
      from: '5.0.0',
      to: '5.1.0',
      reason: 'interval',
      at: now - 120_000,
      inFlight: 3,
      preparedMs: 420,
    },
    { model: 'vad', kind: 'rollback', from: '5.1.0', to: '5.0.0', reason: 'anomalies', at: now - 30_000 },
  ];
}

/** Console errors, uncaught errors and failed requests of `page` (a CSP violation is a console error), into `consoleErrors`. */
function watch(page: Page): Page {
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  page.on('response', (response) => {
    if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
  });
  return page;
}

let dir: string;
let collector: Collector | undefined;
let browser: Browser | undefined;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await build({ configFile: join(repoRoot, 'vite.dashboard.config.ts'), logLevel: 'warn' });
  dir = mkdtempSync(join(tmpdir(), 'webinfer-dashboard-'));
  collector = await createCollector({ db: join(dir, 'telemetry.db'), port: 0, dashboardDir });
  const now = Date.now();
  const beacons = [
    beacon({ metrics: [vadWasm, vadWebgpu], anomalies: [], vitals: [], transitions: vadTransitions(now) }),
    beacon({
      metrics: [classifier],
      anomalies: [
        {
          model: 'image-classifier',
          version: '1.2.0',
          backend: 'webgpu',
          kind: 'drift',
          tensor: 'pixel_values',
          where: 'input',
          details: { psi: 0.31, bins: 10 },
          at: now,
          suppressed: 0,
        },
      ],
      vitals: [
        { name: 'LCP', value: postedLcpMs, rating: 'good', id: 'v5-lcp', navigationType: 'navigate' },
        { name: 'INP', value: 320, rating: 'needs-improvement', id: 'v5-inp', navigationType: 'navigate' },
      ],
    }),
  ];
  for (const body of beacons) expect((await post(`${collector.url}/collect`, JSON.stringify(body))).status).toBe(204);

  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs] });
  page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  watch(page);
  // `/` sends the operator to the page.
  await page.goto(`${collector.url}/`);
  await page.locator('[data-tile="calls"] .tile-value').filter({ hasText: /\d/ }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the page is the dashboard, with both models in its model list and its table', async () => {
  expect(new URL(page.url()).pathname).toBe('/dashboard/');
  await expect(page.title()).resolves.toBe('webinfer collector');
  const options = await page.locator('#model-select option').allTextContents();
  expect(options).toEqual(expect.arrayContaining(['All models', 'vad@5.0.0', 'image-classifier@1.2.0']));
  const tableModels = await page.locator('#models tbody th').allTextContents();
  expect(tableModels.sort()).toEqual(['image-classifier', 'vad']);
});

test('the tiles show the calls posted, their error rate, the anomaly and the p95 of a call', async () => {
  await expect(page.locator('[data-tile="calls"] .tile-value').textContent()).resolves.toBe(String(postedCalls));
  // 1 failed call of 16.
  await expect(page.locator('[data-tile="errors"] .tile-value').textContent()).resolves.toBe('6.3 %');
  await expect(page.locator('[data-tile="anomalies"] .tile-value').textContent()).resolves.toBe('1');
  await expect(page.locator('[data-tile="p95"] .tile-value').textContent()).resolves.toMatch(/^\d+(\.\d+)? ms$/);
});

test('the latency chart has drawn its lines on a canvas of non-zero size', async () => {
  const canvas = page.locator('#latency-chart canvas');
  const box = await canvas.boundingBox();
  expect(box?.width).toBeGreaterThan(300);
  expect(box?.height).toBeGreaterThan(100);
  // Pixels in the p50, p95 or p99 colour: the series were drawn, not only the axes (the beacons
  // fell in one window, drawn as a dot per series).
  const seriesPixels = await canvas.evaluate((element) => {
    const page = globalThis as unknown as PageGlobals;
    const style = page.getComputedStyle(page.document.documentElement);
    const colours = ['--chart-p50', '--chart-p95', '--chart-p99'].map((name) => {
      const hex = style.getPropertyValue(name).trim();
      return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    });
    const canvasElement = element as unknown as Canvas;
    const context = canvasElement.getContext('2d');
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, canvasElement.width, canvasElement.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (colours.some(([r, g, b]) => data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255)) count++;
    }
    return count;
  });
  expect(seriesPixels).toBeGreaterThan(0);
  await expect(page.locator('#latency-empty').isHidden()).resolves.toBe(true);
});

test('the phases table lists a call phase and the load phases posted', async () => {
  const phases = await page.locator('#phases .phase-name').allTextContents();
  expect(phases).toEqual(expect.arrayContaining(['total', 'inference', 'network', 'load']));
});

test('the backend mix shares the calls between webgpu and wasm', async () => {
  const rows = await page.locator('#backends tbody tr').allInnerTexts();
  // 12 of the 15 calls that returned ran on WebGPU, 3 on wasm.
  expect(rows.map((row) => row.split('\t').map((cell) => cell.trim()))).toEqual([
    ['webgpu', '', '80 %', '12'],
    ['wasm', '', '20 %', '3'],
  ]);
});

test('the anomalies table lists the posted anomaly kind, model and details', async () => {
  await expect(page.locator('.kind-list li').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^drift\s+1$/)]);
  const recent = await page.locator('#anomalies tbody tr').allInnerTexts();
  expect(recent).toHaveLength(1);
  expect(recent[0]).toContain('image-classifier@1.2.0');
  expect(recent[0]).toContain('drift');
  expect(recent[0]).toContain('psi=0.31');
});

test('the model updates list the rollback, as a warning, above the update it undid', async () => {
  const rows = page.locator('#transitions tbody tr');
  const cells = async (row: number) => (await rows.nth(row).locator('td').allInnerTexts()).map((cell) => cell.trim()).slice(1);
  await expect(rows.count()).resolves.toBe(2);
  // Model, versions, kind, reason, calls in flight, preparation time (a rollback has neither).
  await expect(cells(0)).resolves.toEqual(['vad', '5.1.0 → 5.0.0', 'rollback', 'anomalies', '', '']);
  await expect(cells(1)).resolves.toEqual(['vad', '5.0.0 → 5.1.0', 'update', 'interval', '3', '420 ms']);
  await expect(rows.nth(0).locator('.badge').getAttribute('class')).resolves.toContain('tone-warn');
  await expect(rows.nth(1).locator('.badge').getAttribute('class')).resolves.not.toContain('tone-warn');
  await expect(page.locator('#transitions-note').textContent()).resolves.toBe('1 update · 1 rollback');
});

test('the web vitals show the posted LCP as good and INP as needing improvement', async () => {
  const lcp = page.locator('[data-vital="LCP"] .vital-value');
  const text = (await lcp.textContent()) ?? '';
  const [, figure = '', unit] = /^([\d.]+) (ms|s)$/.exec(text) ?? [];
  const ms = Number(figure) * (unit === 's' ? 1000 : 1);
  expect(ms).toBeGreaterThan(postedLcpMs / bucketRatio);
  expect(ms).toBeLessThan(postedLcpMs * bucketRatio);
  await expect(lcp.getAttribute('class')).resolves.toContain('rating-text-good');
  await expect(page.locator('[data-vital="INP"] .vital-value').getAttribute('class')).resolves.toContain(
    'rating-text-needs-improvement',
  );
});

test('a model picked in the table narrows the page to it', async () => {
  await page.locator('#models a', { hasText: 'vad' }).click();
  await expect.poll(() => page.locator('[data-tile="calls"] .tile-value').textContent()).toBe(String(3 + 1 + 5));
  expect(new URL(page.url()).searchParams.get('model')).toBe('vad');
  await expect(page.locator('#anomalies .empty').count()).resolves.toBe(1);
  await expect(page.locator('#transitions tbody tr').count()).resolves.toBe(2);
  await page.screenshot({ path: join(screenshots, 'dashboard-model.png'), fullPage: true });
  await page.locator('#models a', { hasText: 'image-classifier' }).click();
  await expect.poll(() => page.locator('[data-tile="calls"] .tile-value').textContent()).toBe('7');
  await expect(page.locator('#transitions .empty').textContent()).resolves.toMatch(/^No model changed version in this range/);
  await expect(page.locator('#transitions tbody tr').count()).resolves.toBe(0);
  await page.locator('#model-select').selectOption({ label: 'All models' });
  await expect.poll(() => page.locator('[data-tile="calls"] .tile-value').textContent()).toBe(String(postedCalls));
});

test('a collector without beacons says how to send them, with its own /collect address', async () => {
  const empty = await createCollector({ db: join(dir, 'empty.db'), port: 0, dashboardDir });
  const other = watch(await (browser as Browser).newPage());
  try {
    await other.goto(`${empty.url}/dashboard/`);
    await other.locator('#onboarding').waitFor();
    await expect(other.locator('#onboarding-code').textContent()).resolves.toContain(`endpoint: '${empty.url}/collect'`);
    await expect(other.locator('#panels').isHidden()).resolves.toBe(true);
  } finally {
    await other.close();
    await empty.close();
  }
});

test('light and dark, the page draws without a console error (its CSP included)', async () => {
  await page.screenshot({ path: join(screenshots, 'dashboard-light.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    return page.getComputedStyle(page.document.body).backgroundColor;
  });
  expect(dark).toBe('rgb(14, 16, 20)');
  await page.screenshot({ path: join(screenshots, 'dashboard-dark.png'), fullPage: true });
  expect(consoleErrors).toEqual([]);
});
