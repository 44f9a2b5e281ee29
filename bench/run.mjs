/**
 * `npm run bench` (after `npm run build`): P2, the round trip of `model.run` against `session.run`
 * in the worker; P3, main-thread long tasks through webinfer against onnxruntime-web on the page;
 * P7, the page-side entry's gzip size. Builds bench/page for production against dist/, serves
 * it cross-origin isolated, runs each task in a fresh Chromium context, prints a table and one
 * line per figure, and writes every raw sample to a JSON file under the OS temp folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageEntrySize } from '../scripts/lib/page-entry-size.mjs';
import { serveStatic } from '../scripts/lib/serve-static.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { buildPage } from './lib/page.mjs';
import { printReport } from './lib/report.mjs';
import { summarizeEcho, summarizeP1, summarizeP2, summarizeP3 } from './lib/summary.mjs';

/** @typedef {import('./shared/protocol.js').ModelName} ModelName */
/** @typedef {import('./shared/protocol.js').BenchTask} BenchTask */
/** @typedef {import('./lib/report.mjs').Report} Report */

const warmup = 50;
const runs = 200;
/** V8 tiers the 14 MB wasm up on background threads for about 3 s after load here (Chromium trace). */
const steadyAfterMs = 5_000;
/** @type {ModelName[]} */
const models = ['vad', 'heavy'];

const repo = fileURLToPath(new URL('../', import.meta.url));
const started = performance.now();
// The machine is shared: its load average says how far to trust the figures.
const loadAtStart = loadavg();
const workDir = join(tmpdir(), 'webinfer-bench');
mkdirSync(workDir, { recursive: true });
const size = pageEntrySize(join(repo, 'dist'));
await buildPage(join(workDir, 'page'));
const server = await serveStatic(join(workDir, 'page'));
const browser = await launchBrowser();

/** @type {Record<string, unknown>} */
const raw = {};
const p2 = /** @type {Report['p2']} */ ({});
const echo = /** @type {Report['echo']} */ ({});
const p3 = /** @type {Report['p3']} */ ({});
const p1 = /** @type {Report['p1']} */ ({});
/** @type {boolean[]} */
const isolation = [];
let failures = 0;

/**
 * Runs one task; a failure becomes data, so one broken model does not hide the other figures.
 *
 * @template {import('./shared/protocol.js').BenchResult} T
 * @param {BenchTask} task
 * @returns {Promise<T | import('./lib/summary.mjs').Failed>}
 */
async function attempt(task) {
  try {
    const result = /** @type {T} */ (await browser.run(`${server.url}/`, task));
    if ('crossOriginIsolated' in result) isolation.push(result.crossOriginIsolated);
    return result;
  } catch (error) {
    failures++;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`bench: ${task.kind} on ${task.model} failed: ${message.split('\n')[0]}`);
    return { error: message };
  }
}

try {
  for (const model of models) {
    /** @type {import('./shared/protocol.js').EchoResult | import('./lib/summary.mjs').Failed} */
    const echoed = await attempt({ kind: 'echo', model, warmup, runs });
    /** @type {import('./shared/protocol.js').P2Result | import('./lib/summary.mjs').Failed} */
    const round = await attempt({ kind: 'p2', model, warmup, runs, steadyAfterMs });
    /** @type {import('./shared/protocol.js').P3Result | import('./lib/summary.mjs').Failed} */
    const webinfer = await attempt({ kind: 'p3-webinfer', model, runs });
    /** @type {import('./shared/protocol.js').P3Result | import('./lib/summary.mjs').Failed} */
    const mainThread = await attempt({ kind: 'p3-main-thread', model, runs });
    /** @type {import('./shared/protocol.js').P1Result | import('./lib/summary.mjs').Failed} */
    const warm = await attempt({ kind: 'p1', model, runs: 5 });
    raw[model] = { echo: echoed, p2: round, p3: { webinfer, mainThread }, p1: warm };
    p1[model] = summarizeP1(warm);
    p2[model] = summarizeP2(round);
    echo[model] = summarizeEcho(echoed);
    p3[model] = { webinfer: summarizeP3(webinfer), mainThread: summarizeP3(mainThread) };
  }
} finally {
  await browser.close();
  await server.close();
}

const meta = {
  chromium: browser.version,
  crossOriginIsolated: isolation.length > 0 && isolation.every(Boolean),
  warmup,
  runs,
  steadyAfterMs,
  totalSeconds: (performance.now() - started) / 1000,
  loadAverage: { start: loadAtStart, end: loadavg() },
  date: new Date().toISOString(),
};
const p7 = { ...size, files: size.files.map((file) => relative(repo, file)) };
const resultsPath = join(workDir, 'results.json');
writeFileSync(resultsPath, `${JSON.stringify({ meta, summary: { p1, p2, echo, p3, p7 }, raw }, null, 2)}\n`);
printReport({ meta, p1, p2, echo, p3, p7, resultsPath });
if (failures > 0) process.exitCode = 1;
