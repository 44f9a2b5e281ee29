/**
 * `npm run bench` (after `npm run build`): P1, warm start against session create from memory;
 * P2, the round trip of `model.run` against `session.run` in the worker; P3, main-thread long
 * tasks through webinfer against onnxruntime-web on the page; P6, 32 concurrent requests with
 * micro-batching against one request of 32 rows; P4 and P5, the cache read and the
 * download pipeline of a 200 MB model against their parts alone, per chunk size; P7, the
 * page-side entry's gzip size; model updates under load (swap latency, calls in flight at the
 * swap, round trips during swaps ÷ without); anomaly quality, the detectors on seeded streams with injected
 * faults (in Node, no browser: see lib/anomaly-quality.mjs). Builds bench/page for production
 * against dist/, serves it cross-origin isolated, runs each task in a fresh Chromium context,
 * prints a table and one line per figure, and writes every raw sample to a JSON file under the
 * OS temp folder. `node bench/run.mjs --only p1,storage --chunks 16,64` runs some figures only
 * (p1, p2, p3, p6, p8, p9, update, storage, anomaly), and the storage figures for some chunk sizes (MiB) only.
 * `--only anomaly` needs neither a build nor Chromium. `--only huge` runs the opt-in load of a
 * model past 2 GB (2.25 GiB written under the OS temp folder; minutes). `BENCH_CONSOLE=1` prints
 * the pages' console; `BENCH_PROFILE=dir` writes each page's and worker's CPU profile to `dir`
 * (`node bench/lib/profile-summary.mjs dir` sums self time per function; see lib/profile.mjs).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { batchableModel, hugeModel, largeModel, largeModelReference, writeLargeModel } from '../scripts/lib/large-model.mjs';
import { pageEntrySize } from '../scripts/lib/page-entry-size.mjs';
import { serveStatic } from '../scripts/lib/serve-static.mjs';
import { anomalyQuality } from './lib/anomaly-quality.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { buildPage } from './lib/page.mjs';
import { anomalyLines, printReport } from './lib/report.mjs';
import {
  summarizeEcho,
  summarizeP1,
  summarizeP2,
  summarizeP3,
  summarizeP6,
  summarizeP8,
  summarizeP9,
  summarizeStorage,
  summarizeUpdate,
} from './lib/summary.mjs';

/** @typedef {import('./shared/protocol.js').ModelName} ModelName */
/** @typedef {import('./shared/protocol.js').BenchTask} BenchTask */
/** @typedef {import('./lib/report.mjs').Report} Report */

const warmup = 50;
const runs = 200;
/** V8 tiers the 14 MB wasm up on background threads for about 3 s after load here (Chromium trace). */
const steadyAfterMs = 5_000;
/** The models P2, P3 and P8 run on; `BENCH_MODELS=heavy` runs one of them. */
const models = /** @type {ModelName[]} */ ((process.env.BENCH_MODELS ?? 'vad,heavy').split(','));
/** Chunk sizes measured for the cache (P4, P5). */
const chunksArg = process.argv.indexOf('--chunks');
const chunkSizes = (chunksArg > 0 ? (process.argv[chunksArg + 1] ?? '').split(',').map(Number) : [8, 16, 32, 64]).map(
  (mib) => mib * 1024 * 1024,
);
const onlyArg = process.argv.indexOf('--only');
const only = new Set(
  onlyArg > 0
    ? (process.argv[onlyArg + 1] ?? '').split(',')
    : ['p1', 'p2', 'p3', 'p6', 'p8', 'p9', 'update', 'storage', 'anomaly'],
);

const repo = fileURLToPath(new URL('../', import.meta.url));
const started = performance.now();
// The machine is shared: its load average says how far to trust the figures.
const loadAtStart = loadavg();
const workDir = join(tmpdir(), 'webinfer-bench');
mkdirSync(workDir, { recursive: true });

/**
 * Anomaly quality first: it needs no browser, and alone (`--only anomaly`) it is the whole run.
 *
 * @type {import('./lib/anomaly-quality.mjs').AnomalySummary | import('./lib/summary.mjs').Failed | undefined}
 */
const anomaly = only.has('anomaly')
  ? await anomalyQuality().catch((/** @type {unknown} */ error) => {
      console.error(`bench: anomaly quality failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { error: error instanceof Error ? error.message : String(error) };
    })
  : undefined;
if (anomaly && only.size === 1) {
  const resultsPath = join(workDir, 'anomaly.json');
  writeFileSync(resultsPath, `${JSON.stringify({ date: new Date().toISOString(), anomaly }, null, 2)}\n`);
  console.log(`\n${anomalyLines(anomaly)}\n\nfull JSON: ${resultsPath}`);
  process.exit('error' in anomaly ? 1 : 0);
}
const size = pageEntrySize(join(repo, 'dist'));
await buildPage(join(workDir, 'page'));
// The 200 MB model beside the page, with a manifest from webinfer's own CLI (built by `npm run build`).
/**
 * Writes a synthetic model beside the page (kept between runs) and its manifest with our CLI.
 *
 * @param {import('../scripts/lib/large-model.mjs').SyntheticModel} spec
 */
function syntheticModel(spec) {
  const dir = join(workDir, 'models', spec.id);
  const written = writeLargeModel(dir, spec);
  execFileSync(process.execPath, [join(repo, 'dist/cli/webinfer.js'), 'manifest', written.model, '--id', spec.id], {
    stdio: 'ignore',
  });
  symlinkSync(dir, join(workDir, 'page', spec.id));
}
if (only.has('p1') || only.has('storage')) syntheticModel(largeModel);
if (only.has('huge')) syntheticModel(hugeModel);
if (only.has('p6')) syntheticModel(batchableModel);
const server = await serveStatic(join(workDir, 'page'));
const browser = await launchBrowser();

/** @type {Record<string, unknown>} */
const raw = {};
const p2 = /** @type {Report['p2']} */ ({});
const echo = /** @type {Report['echo']} */ ({});
const p3 = /** @type {Report['p3']} */ ({});
const p1 = /** @type {Report['p1']} */ ({});
const storage = /** @type {Report['storage']} */ ([]);
/** @type {Report['huge']} */
let huge;
/** @type {Report['p6']} */
let p6;
/** @type {Report['p9']} */
let p9;
/** @type {Report['update']} */
let update;
const p8 = /** @type {Report['p8']} */ ([]);
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
    const subject =
      'model' in task
        ? task.model
        : task.kind === 'storage'
          ? `${task.chunkBytes / 2 ** 20} MiB chunks`
          : task.kind === 'p6'
            ? 'the batchable model'
            : task.kind === 'p9'
              ? 'the image probe'
              : task.kind === 'update'
                ? 'the heavy model kept current'
                : 'the model past 2 GB';
    console.error(`bench: ${task.kind} on ${subject} failed: ${message.split('\n')[0]}`);
    return { error: message };
  }
}

try {
  for (const model of models) {
    if (only.has('p2')) {
      /** @type {import('./shared/protocol.js').EchoResult | import('./lib/summary.mjs').Failed} */
      const echoed = await attempt({ kind: 'echo', model, warmup, runs });
      /** @type {import('./shared/protocol.js').P2Result | import('./lib/summary.mjs').Failed} */
      const round = await attempt({ kind: 'p2', model, warmup, runs, steadyAfterMs });
      raw[`${model}-p2`] = { echo: echoed, p2: round };
      p2[model] = summarizeP2(round);
      echo[model] = summarizeEcho(echoed);
    }
    if (only.has('p3')) {
      /** @type {import('./shared/protocol.js').P3Result | import('./lib/summary.mjs').Failed} */
      const webinfer = await attempt({ kind: 'p3-webinfer', model, runs });
      /** @type {import('./shared/protocol.js').P3Result | import('./lib/summary.mjs').Failed} */
      const mainThread = await attempt({ kind: 'p3-main-thread', model, runs });
      raw[`${model}-p3`] = { webinfer, mainThread };
      p3[model] = { webinfer: summarizeP3(webinfer), mainThread: summarizeP3(mainThread) };
    }
  }
  if (only.has('p1')) {
    for (const model of [...models, /** @type {const} */ ('large')]) {
      /** @type {import('./shared/protocol.js').P1Result | import('./lib/summary.mjs').Failed} */
      const warm = await attempt({ kind: 'p1', model, runs: model === 'large' ? 3 : 5 });
      raw[`${model}-p1`] = warm;
      p1[model] = summarizeP1(warm);
    }
  }
  if (only.has('p6')) {
    /** @type {import('./shared/protocol.js').P6Result | import('./lib/summary.mjs').Failed} */
    const result = await attempt({ kind: 'p6', runs: 15 });
    raw.p6 = result;
    p6 = summarizeP6(result);
  }
  if (only.has('p8')) {
    for (const model of models) {
      /** @type {(import('./shared/protocol.js').P8Result | import('./lib/summary.mjs').Failed)[]} */
      const results = [];
      // Eight fresh pages, each with one session that runs both sides, half of them watched
      // first: a session's own calls vary by 1–2 % from page to page, as much as the goal's margin.
      for (const onFirst of [true, false, true, false, true, false, true, false]) {
        results.push(await attempt({ kind: 'p8', model, warmup, blocks: 40, onFirst }));
      }
      raw[`p8-${model}`] = results;
      p8.push(summarizeP8(results));
    }
  }
  if (only.has('p9')) {
    /** @type {import('./shared/protocol.js').P9Result | import('./lib/summary.mjs').Failed} */
    const result = await attempt({ kind: 'p9', runs: 30 });
    raw.p9 = result;
    p9 = summarizeP9(result);
  }
  if (only.has('update')) {
    // The server whose manifest the page changes (the one the browser tests use), in TypeScript.
    const path = fileURLToPath(new URL('../test/support/node/update-server.ts', import.meta.url));
    const { startUpdateServer } = (await runnerImport(path, { configFile: false, logLevel: 'warn' })).module;
    const updateServer = await startUpdateServer();
    try {
      /** @type {import('./shared/protocol.js').UpdateResult | import('./lib/summary.mjs').Failed} */
      const result = await attempt({ kind: 'update', server: updateServer.url, swaps: 8, baselineCalls: 400 });
      raw.update = result;
      update = summarizeUpdate(result);
    } finally {
      await updateServer.close();
    }
  }
  if (only.has('storage')) {
    for (const chunkBytes of chunkSizes) {
      /** @type {import('./shared/protocol.js').StorageResult | import('./lib/summary.mjs').Failed} */
      const result = await attempt({ kind: 'storage', chunkBytes });
      raw[`storage-${chunkBytes}`] = result;
      storage.push(summarizeStorage(chunkBytes, result));
    }
  }
  if (only.has('huge')) {
    const x = Array.from({ length: hugeModel.features }, (_, i) => Math.fround(Math.sin(i)));
    const y = Array.from(largeModelReference(Float32Array.from(x), hugeModel));
    /** @type {import('./shared/protocol.js').HugeResult | import('./lib/summary.mjs').Failed} */
    const result = await attempt({ kind: 'huge', x, y });
    raw.huge = result;
    huge = result;
  }
} finally {
  await browser.close();
  await server.close();
}

const meta = {
  chromium: browser.version,
  // Only P2 and P3 report it: a run of other figures alone does not know.
  crossOriginIsolated: isolation.length > 0 ? isolation.every(Boolean) : /** @type {const} */ ('not reported'),
  warmup,
  runs,
  steadyAfterMs,
  totalSeconds: (performance.now() - started) / 1000,
  loadAverage: { start: loadAtStart, end: loadavg() },
  date: new Date().toISOString(),
};
const p7 = { ...size, files: size.files.map((file) => relative(repo, file)) };
const resultsPath = join(workDir, 'results.json');
writeFileSync(
  resultsPath,
  `${JSON.stringify({ meta, summary: { p1, p2, echo, p3, p6, p8, p9, update, storage, huge, p7, anomaly }, raw }, null, 2)}\n`,
);
printReport({ meta, p1, p2, echo, p3, p6, p8, p9, update, storage, huge, p7, anomaly, resultsPath });
if (failures > 0 || (anomaly && 'error' in anomaly)) process.exitCode = 1;
