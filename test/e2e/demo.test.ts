/**
 * The demo as `npm start` serves it (scripts/start.mjs: the built demo and the collector on one
 * origin), in Debian's Chromium, used as a visitor would: load Silero VAD and the text
 * orientation classifier, run each on the demo's samples, watch the latency chart grow, see the
 * beacons arrive through the collector's query API; then the server is killed (the network is
 * gone for the page), the page reloads from its service worker and predicts again from
 * webinfer's cache. Screenshots of both visits go to test-results/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseChromiumArgs, chromiumPath } from '../support/node/chromium.js';
import { load as loadOn, run as runOn, speechSegments as segmentsOn, spoken } from './demo/page-actions.js';
import { buildDemo, type DemoServer, startDemo } from './demo/start-demo.js';

const screenshots = fileURLToPath(new URL('../../test-results/', import.meta.url));
const silentUntil = 0.9;
const silentFrom = 3.6;
const vad = 'silero-vad';
const orientation = 'text-orientation';

let dir: string;
let server: DemoServer | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
let onlineSegments: [number, number][] = [];

beforeAll(async () => {
  buildDemo();
  dir = mkdtempSync(join(tmpdir(), 'webinfer-demo-'));
  mkdirSync(screenshots, { recursive: true });
  server = await startDemo({ db: join(dir, 'webinfer.db') });
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs] });
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chip = (id: string) => page.getAttribute(`#chip-${id}`, 'data-state');
const load = (key: string) => loadOn(page, key);
const run = (kind: 'vad' | 'orientation') => runOn(page, kind);
const speechSegments = () => segmentsOn(page);

const chartPoints = async () => Number(await page.getAttribute('#latency-chart', 'data-points'));

test('the page opens cross-origin isolated, with the collector found and its app shell precached', async () => {
  await page.goto(server?.url ?? '');
  expect(await page.evaluate('crossOriginIsolated')).toBe(true);
  await page.waitForSelector('#chip-collector[data-state="good"]');
  expect(await page.isVisible('#dashboard-link')).toBe(true);
  expect(await page.getAttribute('#dashboard-link', 'href')).toBe('/dashboard/');
  // The service worker installed: precached, active, and in control of this page.
  await page.waitForSelector('#chip-offline[data-state="good"]', { timeout: 30_000 });
  await page.waitForFunction('navigator.serviceWorker.controller !== null');
  // Its navigation fallback leaves the collector's routes alone: the dashboard link opens the dashboard.
  const dashboard = await page.context().newPage();
  await dashboard.goto(new URL('dashboard/', server?.url).href);
  expect(await dashboard.title()).toBe('webinfer collector');
  await dashboard.close();
});

test('Silero VAD finds the spoken sentence in the sample clip, and nothing in the silence around it', async () => {
  await load(vad);
  expect(await page.getAttribute('#model-info', 'data-backend')).toBe('wasm');
  expect(await page.getAttribute('#model-info', 'data-cache')).toBe('stored');
  await run('vad');
  onlineSegments = await speechSegments();
  expect(onlineSegments.length).toBeGreaterThan(0);
  expect(onlineSegments.some(([start, end]) => start < spoken.to && end > spoken.from)).toBe(true);
  for (const [start, end] of onlineSegments) {
    expect(start).toBeGreaterThanOrEqual(silentUntil);
    expect(end).toBeLessThanOrEqual(silentFrom);
  }
  expect(Number(await page.getAttribute('#vad-result', 'data-frames'))).toBeGreaterThan(100);
  expect(await chartPoints()).toBe(1);
});

test('the text classifier reads the sample upright, then upside down once flipped; the latency chart grows with each run', async () => {
  await load(orientation);
  expect(await chartPoints()).toBe(0);
  await run('orientation');
  expect(await page.getAttribute('#orientation-result', 'data-orientation')).toBe('0°');
  expect(await chartPoints()).toBe(1);
  await page.check('#image-flip');
  await run('orientation');
  expect(await page.getAttribute('#orientation-result', 'data-orientation')).toBe('180°');
  expect(await chartPoints()).toBe(2);
  expect(await page.$$('#latency-chart canvas')).not.toHaveLength(0);
});

test('twenty runs on a line without text: the chart and its percentiles fill, and the monitors report a confidence collapse', async () => {
  // The classifier is unsure of every row; its manifest judges a window of 20 rows (demo/models.json).
  await page.fill('#sample-text', '');
  await page.click('#bench-button');
  await page.waitForSelector('#latency-chart[data-points="22"]', { timeout: 60_000 });
  expect(
    await page.$$eval('#latency-table tbody td:nth-child(2)', (cells) => cells.map((cell) => cell.textContent)),
  ).not.toContain('—');
  await page.waitForSelector(`#event-log li[data-kind="confidence-collapse"]`);
  expect(await page.textContent('#event-log li[data-kind="confidence-collapse"]')).toContain(orientation);
  await page.screenshot({ path: join(screenshots, 'demo-online.png'), fullPage: true });
});

/** GETs the collector's query API at `path` until `done` says the answer is complete, or 30 s pass. */
async function poll<T>(path: string, done: (body: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const body = (await (await fetch(new URL(path, server?.url))).json()) as T;
    if (done(body) || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("the page's beacons reach the collector: its API lists both models with their runs, and the anomaly", async () => {
  await page.click('#flush-button');
  const runsOf = ({ models }: { models: { model: string; runs: number }[] }) =>
    Object.fromEntries(models.map((m) => [m.model, m.runs]));
  const runs = runsOf(
    await poll('api/models', (body) => (runsOf(body)[vad] ?? 0) >= 1 && (runsOf(body)[orientation] ?? 0) >= 22),
  );
  expect(runs[vad]).toBe(1);
  expect(runs[orientation]).toBe(22);
  const { recent } = await poll<{ recent: { model: string; kind: string }[] }>('api/anomalies', (body) => body.recent.length > 0);
  expect(recent).toContainEqual(expect.objectContaining({ model: orientation, kind: 'confidence-collapse' }));
});

test('with the server gone, the reloaded page opens from its service worker and predicts from the cache', async () => {
  const url = server?.url ?? '';
  await server?.stop();
  await expect(fetch(url)).rejects.toThrow();
  await page.reload();
  // Still isolated when the service worker serves the page (its precached copy keeps COOP/COEP).
  expect(await page.evaluate('crossOriginIsolated')).toBe(true);
  expect(await chip('isolated')).toBe('good');
  await page.waitForSelector('#chip-collector[data-state="unknown"]');
  expect(await page.isVisible('#dashboard-link')).toBe(false);

  await load(vad);
  expect(await page.getAttribute('#model-info', 'data-cache')).toBe('hit');
  await run('vad');
  expect(await speechSegments()).toEqual(onlineSegments);

  await load(orientation);
  expect(await page.getAttribute('#model-info', 'data-cache')).toBe('hit');
  await run('orientation');
  expect(await page.getAttribute('#orientation-result', 'data-orientation')).toBe('0°');
  await page.screenshot({ path: join(screenshots, 'demo-offline.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
});
