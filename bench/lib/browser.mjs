import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { baseChromiumArgs, chromiumPath } from '../../scripts/lib/chromium.mjs';
import { profilePage } from './profile.mjs';

/** @typedef {import('../shared/protocol.js').BenchTask} BenchTask */
/** @typedef {import('../shared/protocol.js').BenchResult} BenchResult */
/** @typedef {import('../shared/protocol.js').BenchEntry} BenchEntry */

/** No task needs more than a few seconds here; a stuck page must not hang the whole run. */
const taskTimeoutMs = 120_000;
/** But the opt-in run past 2 GB moves gigabytes through IndexedDB twice. */
const hugeTaskTimeoutMs = 1_200_000;

/**
 * Launches Debian's Chromium through Playwright (WebGPU flag left off: the bench runs wasm).
 * `run` opens the page in a new browser context, so no task shares a cache, a compiled wasm
 * module or a worker with another, runs one task and closes the context. The run past 2 GB gets
 * a persistent profile in a fresh folder instead: an ephemeral context keeps IndexedDB's Blobs
 * in memory, where Chromium lost one of three 768 MiB files (`NotReadableError` on read).
 */
/** A page in a persistent context whose profile lives in a fresh temporary folder. */
async function persistentPage() {
  const profile = mkdtempSync(join(tmpdir(), 'webinfer-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: [...baseChromiumArgs],
    headless: true,
  });
  context.on('close', () => rmSync(profile, { recursive: true, force: true }));
  return context.pages()[0] ?? (await context.newPage());
}

export async function launchBrowser() {
  // `--expose-gc`: a task may collect the page's garbage before a clock starts (P9').
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...baseChromiumArgs, '--js-flags=--expose-gc'],
    headless: true,
  });
  return {
    version: browser.version(),
    /**
     * @param {string} url
     * @param {BenchTask} task
     * @returns {Promise<BenchResult>}
     */
    async run(url, task) {
      const page = task.kind === 'huge' ? await persistentPage() : await browser.newPage();
      /** @type {string[]} */
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // BENCH_CONSOLE=1 prints the page's and its workers' console: a timeline when a figure surprises.
      if (process.env.BENCH_CONSOLE) page.on('console', (message) => console.log('[page]', message.text()));
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let timer;
      try {
        await page.goto(url);
        await page.waitForFunction(() => 'bench' in globalThis);
        // BENCH_PROFILE=dir: the page's and its workers' CPU profiles (see profile.mjs).
        const profiler = process.env.BENCH_PROFILE
          ? await profilePage(page, process.env.BENCH_PROFILE, `${task.kind}-${Date.now()}`)
          : undefined;
        const result = page.evaluate(
          (t) => /** @type {{ bench: BenchEntry }} */ (/** @type {unknown} */ (globalThis)).bench(t),
          task,
        );
        const timeout = new Promise((_, reject) => {
          const limit = task.kind === 'huge' ? hugeTaskTimeoutMs : taskTimeoutMs;
          timer = setTimeout(() => reject(new Error(`took over ${limit} ms`)), limit);
        });
        const done = /** @type {BenchResult} */ (await Promise.race([result, timeout]));
        await profiler?.stop();
        return done;
      } catch (error) {
        const detail = errors.length > 0 ? ` (page errors: ${errors.join('; ')})` : '';
        throw new Error(`${error instanceof Error ? error.message : String(error)}${detail}`, { cause: error });
      } finally {
        clearTimeout(timer);
        await page.context().close();
      }
    },
    close: () => browser.close(),
  };
}
