import { chromium } from 'playwright';
import { baseChromiumArgs, chromiumPath } from '../../scripts/lib/chromium.mjs';

/** @typedef {import('../shared/protocol.js').BenchTask} BenchTask */
/** @typedef {import('../shared/protocol.js').BenchResult} BenchResult */
/** @typedef {import('../shared/protocol.js').BenchEntry} BenchEntry */

/** No task needs more than a few seconds here; a stuck page must not hang the whole run. */
const taskTimeoutMs = 120_000;

/**
 * Launches Debian's Chromium through Playwright (WebGPU flag left off: the bench runs wasm).
 * `run` opens the page in a new browser context, so no task shares a cache, a compiled wasm
 * module or a worker with another, runs one task and closes the context.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs], headless: true });
  return {
    version: browser.version(),
    /**
     * @param {string} url
     * @param {BenchTask} task
     * @returns {Promise<BenchResult>}
     */
    async run(url, task) {
      const page = await browser.newPage();
      /** @type {string[]} */
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let timer;
      try {
        await page.goto(url);
        await page.waitForFunction(() => 'bench' in globalThis);
        const result = page.evaluate(
          (t) => /** @type {{ bench: BenchEntry }} */ (/** @type {unknown} */ (globalThis)).bench(t),
          task,
        );
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`took over ${taskTimeoutMs} ms`)), taskTimeoutMs);
        });
        return /** @type {BenchResult} */ (await Promise.race([result, timeout]));
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
