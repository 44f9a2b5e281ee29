/**
 * RELIABILITY.md 31 with a real reload: a top-level page reports to an endpoint that is down;
 * its batches wait in IndexedDB; the page reloads (a new page session, a new runtime, `pagehide`
 * on the way); the endpoint comes back; the reloaded page delivers every waiting batch, each
 * exactly once. The endpoint records every request that reached it.
 */
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Beacon } from '../../src/telemetry/beacon.js';
import { type Arrival, type BeaconSink, startBeaconSink } from '../support/node/beacon-sink.js';
import { baseChromiumArgs, chromiumPath, isolationHeaders } from '../support/node/chromium.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let server: ViteDevServer | undefined;
let sink: BeaconSink | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  sink = await startBeaconSink();
  server = await createServer({
    root: repoRoot,
    configFile: false,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, headers: isolationHeaders },
    optimizeDeps: {
      include: [
        'onnxruntime-web/wasm',
        'onnxruntime-web/webgpu',
        'comlink',
        'idb',
        'hash-wasm',
        'canonicalize',
        'valibot',
        'web-vitals',
      ],
    },
  });
  await server.listen();
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs] });
  page = await (await browser.newContext()).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sink?.close();
});

const runAndFlush = (runs: number) =>
  page.evaluate(
    (n) => (globalThis as unknown as { scenarios: { runAndFlush(n: number): Promise<number> } }).scenarios.runAndFlush(n),
    runs,
  );

async function arrivals(id: string): Promise<Arrival[]> {
  return (await (await fetch(`${sink?.url}/log/${id}`)).json()) as Arrival[];
}

test('31: batches queued while the collector is down are delivered once by the reloaded page', async () => {
  const id = `reload-${Date.now()}`;
  const endpoint = `${sink?.url}/${id}/collect`;
  const pageUrl = new URL(
    `test/e2e/pages/telemetry.html?endpoint=${encodeURIComponent(endpoint)}`,
    server?.resolvedUrls?.local[0],
  );
  await fetch(`${sink?.url}/mode/${id}/down`, { method: 'POST' });
  await page.goto(pageUrl.href);
  await page.waitForFunction(() => 'scenarios' in globalThis);
  expect(await runAndFlush(5)).toBe(5);
  expect(await runAndFlush(3)).toBe(8);
  expect(await arrivals(id)).toEqual([]);

  await page.reload();
  await page.waitForFunction(() => 'scenarios' in globalThis);
  await fetch(`${sink?.url}/mode/${id}/ok`, { method: 'POST' });
  // The reloaded page's first flush finds the endpoint up, then sends what waited.
  await runAndFlush(2);
  const deadline = Date.now() + 15_000;
  let got = await arrivals(id);
  while (got.length < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    got = await arrivals(id);
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // and nothing more comes
  got = await arrivals(id);
  const beacons = got.map((a) => JSON.parse(a.body) as Beacon);
  expect(new Set(beacons.map((b) => b.batchId)).size).toBe(beacons.length);
  const sessions = [...new Set(beacons.map((b) => b.sessionId))];
  expect(sessions).toHaveLength(2);
  const runsOf = (session: string | undefined) =>
    beacons.filter((b) => b.sessionId === session).flatMap((b) => b.metrics.map((m) => m.runs));
  // The first visit's two batches, in order, once each; then the second visit's.
  const first = beacons.filter((b) => b.sessionId === sessions.find((s) => runsOf(s).includes(5)));
  expect(first.map((b) => b.seq)).toEqual([1, 2]);
  expect(first.map((b) => b.metrics[0]?.runs)).toEqual([5, 3]);
  expect(runsOf(sessions.find((s) => !runsOf(s).includes(5)))).toEqual([2]);
});
