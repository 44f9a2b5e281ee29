/**
 * `npm run dev` (scripts/dev.mjs): the demo on Vite's dev server, webinfer imported from source
 * through the `webinfer/vite` plugin, the collector behind it. The page is cross-origin
 * isolated, finds the collector on its own origin, and Silero VAD loads and finds the sentence.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseChromiumArgs, chromiumPath } from '../support/node/chromium.js';
import { load, run, speechSegments, spoken } from './demo/page-actions.js';
import { type DemoServer, startDemo } from './demo/start-demo.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let server: DemoServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(join(repo, 'dist/cli/collector.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  // What `npm run dev` does after building: the demo's models into public/ (instant when ready).
  execFileSync(process.execPath, ['scripts/demo-models.mjs'], { cwd: repo, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'webinfer-demo-dev-'));
  server = await startDemo({ db: join(dir, 'webinfer.db'), dev: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the dev server serves the demo isolated, with the collector behind it, and Silero VAD runs', async () => {
  if (!browser || !server) throw new Error('not started (see beforeAll)');
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(server.url);
  expect(await page.evaluate('crossOriginIsolated')).toBe(true);
  await page.waitForSelector('#chip-collector[data-state="good"]');
  await load(page, 'silero-vad');
  await run(page, 'vad');
  const segments = await speechSegments(page);
  expect(segments.some(([start, end]) => start < spoken.to && end > spoken.from)).toBe(true);
  expect(errors).toEqual([]);
});
