/**
 * RELIABILITY.md 1, through the DevTools protocol: the origin's quota is shrunk with
 * `Storage.overrideQuotaForOrigin` before its first use of storage (Chromium caches quota
 * decisions for about 30 s, so an override after that first use would not hold in time), and a
 * 40 MiB model is loaded into a cache holding onnxruntime-web's binary and two small models.
 * `navigator.storage.estimate()` does not see the override, so the preflight lets the download
 * start and the chunk writes fail mid-download, as they do when another tab fills the disk.
 * Needs a top-level page (the override is not enforced in Vitest's test iframe): the page is
 * served by a Vite dev server on an origin of its own.
 */
import { fileURLToPath } from 'node:url';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mediumModel } from '../../scripts/lib/large-model.mjs';
import { baseChromiumArgs, chromiumPath, isolationHeaders } from '../support/node/chromium.js';
import { ensureLargeModel } from '../support/node/large-model.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const quotaBytes = 40 * 2 ** 20;

interface ScenarioError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}
interface Scenarios {
  overrunWithMemoryFallback(x: number[]): Promise<{
    usageBefore: { bytes: number; runtimeBytes: number };
    cachedBefore: string[];
    cachedAfter: string[];
    cache: { state: string; reason?: string };
    y: number[];
  }>;
  overrunWithoutFallback(): Promise<{ loaded?: unknown; error?: ScenarioError }>;
}
const scenario = <K extends keyof Scenarios>(page: Page, name: K, ...args: Parameters<Scenarios[K]>) =>
  page.evaluate(
    ([name, args]) =>
      (
        (globalThis as unknown as { scenarios: Record<string, (...a: unknown[]) => unknown> }).scenarios[name] as (
          ...a: unknown[]
        ) => Promise<unknown>
      )(...args),
    [name, args] as const,
  ) as ReturnType<Scenarios[K]>;

let server: ViteDevServer | undefined;
let browser: Browser | undefined;
let page: Page;
let reference: { x: number[]; y: number[] };

beforeAll(async () => {
  reference = await ensureLargeModel(mediumModel);
  server = await createServer({
    root: repoRoot,
    configFile: false,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, headers: isolationHeaders },
    // Pre-bundled up front, or Vite re-optimizes mid-test and reloads the page.
    optimizeDeps: {
      include: ['onnxruntime-web/wasm', 'onnxruntime-web/webgpu', 'comlink', 'idb', 'hash-wasm', 'canonicalize', 'valibot'],
    },
  });
  await server.listen();
  const pageUrl = new URL('test/e2e/pages/quota.html', server.resolvedUrls?.local[0]);
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs] });
  const context = await browser.newContext();
  page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: pageUrl.origin, quotaSize: quotaBytes });
  await page.goto(pageUrl.href);
  await page.waitForFunction(() => 'scenarios' in globalThis);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function maxAbsDiff(actual: readonly number[], expected: readonly number[]): number {
  return expected.reduce((worst, value, i) => Math.max(worst, Math.abs((actual[i] ?? Number.NaN) - value)), 0);
}

test('mid-download, unused models are evicted, the write is retried once, and the model runs from memory', async () => {
  const result = await scenario(page, 'overrunWithMemoryFallback', reference.x);
  // The quota had room for what was cached before, not for the medium model on top.
  expect(result.usageBefore.runtimeBytes).toBeGreaterThan(0);
  expect(result.usageBefore.bytes + result.usageBefore.runtimeBytes).toBeLessThan(quotaBytes);
  expect(result.cachedBefore).toEqual(['mlp', 'mlp-external']);
  // The disposed model was evicted to make room; the one in use was kept; the medium model was not recorded.
  expect(result.cachedAfter).toEqual(['mlp']);
  expect(result.cache.state).toBe('not-cached');
  expect(result.cache.reason).toMatch(/quota/i);
  expect(maxAbsDiff(result.y, reference.y)).toBeLessThan(1e-4);
});

test('without the memory fallback the load fails with quota-exceeded and its figures; nothing was marked complete', async () => {
  const { loaded, error } = await scenario(page, 'overrunWithoutFallback');
  // A stored, complete medium model would have been a cache hit here.
  expect(loaded).toBeUndefined();
  expect(error).toMatchObject({ name: 'StorageError', code: 'quota-exceeded' });
  expect(error?.details).toMatchObject({ usage: expect.any(Number), quota: expect.any(Number) });
});
