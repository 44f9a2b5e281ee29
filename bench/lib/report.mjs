/** Prints the bench's table and one line per figure, each with its goal. */
import { median } from './stats.mjs';
import { isFailed } from './summary.mjs';

/** @typedef {import('../shared/protocol.js').ModelName} ModelName */
/** @typedef {import('./summary.mjs').Failed} Failed */
/** @typedef {import('./summary.mjs').P2Summary} P2Summary */
/** @typedef {import('./summary.mjs').P2Figures} P2Figures */
/** @typedef {import('./summary.mjs').EchoSummary} EchoSummary */
/** @typedef {import('./summary.mjs').P3Summary} P3Summary */
/** @typedef {import('./summary.mjs').P1Summary} P1Summary */
/** @typedef {import('./summary.mjs').StorageSummary} StorageSummary */
/** @typedef {import('./summary.mjs').P6Summary} P6Summary */
/** @typedef {import('./summary.mjs').P8Summary} P8Summary */
/** @typedef {import('./summary.mjs').P9Summary} P9Summary */
/**
 * @typedef {object} Report
 * @property {{ chromium: string, crossOriginIsolated: boolean | 'not reported', warmup: number, runs: number, steadyAfterMs: number,
 *   totalSeconds: number, loadAverage: { start: number[], end: number[] } }} meta
 * @property {Partial<Record<ModelName | 'large', P1Summary | Failed>>} p1
 * @property {Record<ModelName, P2Summary | Failed>} p2
 * @property {Record<ModelName, EchoSummary | Failed>} echo
 * @property {Record<ModelName, { webinfer: P3Summary | Failed, mainThread: P3Summary | Failed }>} p3
 * @property {(StorageSummary | (Failed & { chunkBytes: number }))[]} storage
 * @property {P6Summary | Failed | undefined} p6
 * @property {(P8Summary | Failed)[]} p8
 * @property {P9Summary | Failed | undefined} p9
 * @property {ReturnType<typeof import('./summary.mjs').summarizeUpdate> | undefined} update
 * @property {import('../shared/protocol.js').HugeResult | Failed | undefined} huge
 * @property {{ files: string[], gzip: number, gzipWithComlink: number }} p7
 * @property {import('./anomaly-quality.mjs').AnomalySummary | Failed | undefined} anomaly
 * @property {string} resultsPath
 */

const goals = {
  p1Ratio: 1.1,
  p2Ratio: 1.05,
  p3LongTasks: 0,
  p4Ratio: 1.25,
  p5Ratio: 1.2,
  p6Ratio: 1.15,
  p7Bytes: 15_000,
  p9Ratio: 1.0,
  p8Ratio: 1.02,
  /** Calls from an injected fault to its anomaly, and the share of clean calls that report one. */
  anomalyDelay: 200,
  anomalyFalseAlarmRate: 0.005,
};

/** @param {number} x */
const ms = (x) => x.toFixed(3);
/** @param {number} x ms */
const us = (x) => (x * 1000).toFixed(1);
/** @param {number} n */
const bytes = (n) => `${n.toLocaleString('en-US')} B`;
/** @param {boolean} ok */
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
/** @param {Failed} failed */
const firstLine = (failed) => failed.error.split('\n')[0];

/**
 * A table cell from a figure, `failed` when its task threw, `-` when it was not run (`--only`).
 *
 * @template {object} T
 * @param {T | Failed | undefined} figure
 * @param {(figure: T) => string} pick
 */
const cell = (figure, pick) => (figure === undefined ? '-' : isFailed(figure) ? 'failed' : pick(figure));

/**
 * @param {Report} report
 * @returns {[string, (model: ModelName) => string][]}
 */
function tableRows({ p2, echo, p3 }) {
  /** @param {(s: P2Figures) => number} pick */
  const steady = (pick) => (/** @type {ModelName} */ m) => cell(p2[m], (s) => ms(pick(s.steady)));
  /** @param {(e: EchoSummary) => number} pick */
  const echoed = (pick) => (/** @type {ModelName} */ m) => cell(echo[m], (e) => ms(pick(e)));
  /** @param {(s: P3Summary) => string} pick */
  const both = (pick) => (/** @type {ModelName} */ m) => `${cell(p3[m]?.webinfer, pick)} / ${cell(p3[m]?.mainThread, pick)}`;
  return [
    ['P2 round trip on the page (median ms)', steady((s) => s.roundTripMs)],
    ['P2 session.run in the worker (median ms)', steady((s) => s.inferenceMs)],
    ['  page <-> worker transit (rt - workerMs)', steady((s) => s.transitMs)],
    ['  worker work besides session.run', steady((s) => s.workerOverheadMs)],
    ['  echo worker, raw postMessage', echoed((e) => e.rawMs)],
    ['  echo worker, Comlink', echoed((e) => e.comlinkMs)],
    ['  ratio right after load (early sample)', (m) => cell(p2[m], (s) => s.early.ratio.toFixed(3))],
    ['P3 long tasks n, webinfer / main thread', both((s) => String(s.longTasks))],
    ['P3 long task ms, webinfer / main thread', both((s) => s.longTaskMs.toFixed(0))],
    ['  load ms, webinfer / main thread', both((s) => s.loadMs.toFixed(0))],
    ['  run median ms, webinfer / main thread', both((s) => s.runMedianMs.toFixed(3))],
    ['  wasm threads, webinfer / main thread', both((s) => String(s.threads))],
  ];
}

/**
 * @param {ModelName} model
 * @param {P2Summary | Failed} summary
 */
function p2Line(model, summary) {
  if (isFailed(summary)) return `P2 ${model.padEnd(5)} FAILED: ${firstLine(summary)}`;
  const { steady: s, early: e } = summary;
  return (
    `P2 ${model.padEnd(5)} roundTrip=${ms(s.roundTripMs)}ms inference=${ms(s.inferenceMs)}ms ratio=${s.ratio.toFixed(3)} ` +
    `perCallMedian=${s.medianCallRatio.toFixed(3)} (goal <= ${goals.p2Ratio}) ${verdict(s.ratio <= goals.p2Ratio)} ` +
    `| right after load: ratio=${e.ratio.toFixed(3)} perCallMedian=${e.medianCallRatio.toFixed(3)}`
  );
}

/**
 * @param {ModelName} model
 * @param {Report['p3'][ModelName]} figures
 */
function p3Line(model, { webinfer: w, mainThread: b }) {
  const ours = isFailed(w)
    ? `FAILED: ${firstLine(w)}`
    : `longTasks=${w.longTasks} total=${w.longTaskMs.toFixed(0)}ms (goal ${goals.p3LongTasks}) ${verdict(w.longTasks <= goals.p3LongTasks)}`;
  const main = isFailed(b)
    ? `FAILED: ${firstLine(b)}`
    : `longTasks=${b.longTasks} total=${b.longTaskMs.toFixed(0)}ms longest=${b.longestMs.toFixed(0)}ms`;
  return `P3 ${model.padEnd(5)} webinfer ${ours} | main-thread onnxruntime-web ${main}`;
}

/** @param {Report} report */
export function printReport(report) {
  const { meta, p1, p2, p3, p7, storage, resultsPath } = report;
  const models = /** @type {ModelName[]} */ (Object.keys(p2).length > 0 ? Object.keys(p2) : Object.keys(p3));
  const rows = tableRows(report);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const load = (/** @type {number[]} */ avg) => avg.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `\nwebinfer bench: Chromium ${meta.chromium}, wasm backend, crossOriginIsolated=${meta.crossOriginIsolated}; ` +
      `P2: ${meta.warmup} warm-up calls, ${meta.runs} calls right after, ${meta.runs} more from ${meta.steadyAfterMs} ms after load; ` +
      `load average ${load(meta.loadAverage.start)} -> ${load(meta.loadAverage.end)}\n`,
  );
  console.log(`${''.padEnd(width)}${models.map((m) => m.padStart(18)).join('')}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}${models.map((m) => value(m).padStart(18)).join('')}`);
  console.log('');
  for (const [m, s] of Object.entries(p1)) if (s) console.log(p1Line(m, s));
  for (const m of Object.keys(p2)) console.log(p2Line(/** @type {ModelName} */ (m), p2[/** @type {ModelName} */ (m)]));
  for (const m of Object.keys(p3)) console.log(p3Line(/** @type {ModelName} */ (m), p3[/** @type {ModelName} */ (m)]));
  for (const s of storage) console.log(storageLines(s));
  if (report.p6) console.log(p6Line(report.p6));
  for (const s of report.p8) console.log(p8Line(s));
  if (report.p9) console.log(p9Line(report.p9));
  if (report.update) console.log(updateLine(report.update));
  if (report.huge) console.log(hugeLine(report.huge));
  console.log(
    `P7 page entry gzip=${bytes(p7.gzip)} withComlink=${bytes(p7.gzipWithComlink)} ` +
      `(goal <= ${bytes(goals.p7Bytes)}) ${verdict(p7.gzipWithComlink <= goals.p7Bytes)} [${p7.files.join(', ')}]`,
  );
  if (report.anomaly) console.log(anomalyLines(report.anomaly));
  console.log(`\nfull JSON: ${resultsPath}\ntotal ${meta.totalSeconds.toFixed(1)} s`);
}

/**
 * The anomaly-quality figure: per injection, the calls until its anomaly was reported (worst
 * and median over the seeds, then each seed's); then the share of clean calls that reported
 * anything on the worst seed (the goal's figure: each seed is one stream of 10,000 clean
 * samples) and over all seeds.
 *
 * @param {import('./anomaly-quality.mjs').AnomalySummary | Failed} a
 */
export function anomalyLines(a) {
  if (isFailed(a)) return `ANOMALY FAILED: ${firstLine(a)}`;
  const width = Math.max(...Object.keys(a.delays).map((name) => name.length));
  const lines = Object.entries(a.delays).map(([name, delays]) => {
    const missed = delays.filter((d) => d === null).length;
    const seen = /** @type {number[]} */ (delays.filter((d) => d !== null));
    const worst = missed > 0 ? Number.POSITIVE_INFINITY : Math.max(...seen);
    const figures = missed > 0 ? `missed on ${missed} of ${delays.length} seeds` : `max=${worst} median=${median(seen)}`;
    return (
      `ANOMALY ${name.padEnd(width)} detected after ${figures} calls (goal <= ${goals.anomalyDelay}) ` +
      `${verdict(worst <= goals.anomalyDelay)} [${delays.map((d) => d ?? 'missed').join(' ')}]`
    );
  });
  const pooled = a.falseAlarmRates.reduce((sum, rate) => sum + rate, 0) / a.falseAlarmRates.length;
  const worstSeed = Math.max(...a.falseAlarmRates);
  const percent = (/** @type {number} */ x) => `${(x * 100).toFixed(2)} %`;
  const byKind = Object.entries(a.falseAlarmsByKind)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  lines.push(
    `ANOMALY ${'false alarms'.padEnd(width)} worst seed ${percent(worstSeed)} of ${a.cleanCalls.toLocaleString('en-US')} ` +
      `clean windows (goal <= ${percent(goals.anomalyFalseAlarmRate)}) ${verdict(worstSeed <= goals.anomalyFalseAlarmRate)}; ` +
      `all seeds ${percent(pooled)}; reports by kind: ${byKind || 'none'}; ` +
      `${a.seeds.length} seeds, reference of ${a.referenceRows.toLocaleString('en-US')} rows; detectors ${a.usPerCall.toFixed(1)} µs per call`,
  );
  return lines.join('\n');
}

/** @param {P6Summary | Failed} s */
function p6Line(s) {
  if (isFailed(s)) return `P6 FAILED: ${firstLine(s)}`;
  return (
    `P6 batchable 32 rows  concurrent=${s.concurrentMs.toFixed(1)}ms (b) oneRequestOf32Rows=${s.oneBatchMs.toFixed(1)}ms ` +
    `ratio=${s.ratio.toFixed(3)} (goal <= ${goals.p6Ratio}) ${verdict(s.ratio <= goals.p6Ratio)}; ` +
    `(a) oneByOne=${s.sequentialMs.toFixed(1)}ms (a)/concurrent=${s.speedup.toFixed(2)}; mean batch ${s.meanBatchSize.toFixed(1)}` +
    `${s.verified ? '' : ' [batching not verified]'}\n` +
    `P2 while the queue is busy: transit (rt - workerMs) median ${ms(s.busyTransitMs)}ms, idle ${ms(s.idleTransitMs)}ms`
  );
}

/** @param {P8Summary | Failed} s */
function p8Line(s) {
  if (isFailed(s)) return `P8 FAILED: ${firstLine(s)}`;
  return (
    `P8 ${s.model.padEnd(5)} monitors+telemetry on=${ms(s.onMs)}ms off=${ms(s.offMs)}ms ratio=${s.ratio.toFixed(3)} ` +
    `(goal <= ${goals.p8Ratio}) ${verdict(s.ratio <= goals.p8Ratio)} (paired blocks; pooled ${s.pooledRatio.toFixed(3)}); ` +
    `session.run on=${ms(s.onInferenceMs)}ms ` +
    `off=${ms(s.offInferenceMs)}ms ratio=${s.inferenceRatio.toFixed(3)}; in the worker on=${ms(s.onWorkerMs)}ms ` +
    `off=${ms(s.offWorkerMs)}ms; the page after the reply on=${us(s.onAfterReplyMs)}µs off=${us(s.offAfterReplyMs)}µs ` +
    `(trimmed means); ${s.calls} calls a side, alternated in blocks of 40 on one session, ${s.pages} pages`
  );
}

/** @param {P9Summary | Failed} s */
function p9Line(s) {
  if (isFailed(s)) return `P9' FAILED: ${firstLine(s)}`;
  return (
    `P9' image 1920x1080 -> 224x224 NCHW  webinfer=${ms(s.webinferMs)}ms (preprocess in the worker ${ms(s.preprocessMs)}ms, ` +
    `page busy ${ms(s.pageBusyMs)}ms, the bare transfer ${ms(s.transferBusyMs)}ms) main-thread canvas=${ms(s.baselineMs)}ms ratio=${s.ratio.toFixed(3)} ` +
    `(goal <= ${goals.p9Ratio}) ${verdict(s.ratio <= goals.p9Ratio)}; from an ImageBitmap ${ms(s.bitmapMs)}ms (page busy ${ms(s.bitmapBusyMs)}ms); ` +
    `from a VideoFrame ${ms(s.frameMs)}ms (page busy ${ms(s.frameBusyMs)}ms); ` +
    `with the whole tensor sent back ${ms(s.wholeTensorMs)}ms`
  );
}

/** @param {ReturnType<typeof import('./summary.mjs').summarizeUpdate>} s */
function updateLine(s) {
  if (isFailed(s)) return `UPDATE FAILED: ${firstLine(s)}`;
  return (
    `UPDATE heavy, ${s.swaps} swaps under 4 callers: check to swap ${ms(s.swapMs)}ms (max ${ms(s.maxSwapMs)}ms; preparing ` +
    `the new version ${ms(s.preparedMs)}ms), calls in flight at the swaps ${s.inFlight.join(' ')}; round trip p50 ` +
    `${ms(s.duringP50Ms)}ms / p99 ${ms(s.duringP99Ms)}ms during swaps, ${ms(s.baselineP50Ms)}ms / ${ms(s.baselineP99Ms)}ms ` +
    `without: p99 ratio ${s.p99Ratio.toFixed(2)}; failed calls ${s.failed} (goal 0) ${verdict(s.failed === 0)}`
  );
}

/** @param {import('../shared/protocol.js').HugeResult | Failed} h */
function hugeLine(h) {
  if (isFailed(h)) return `HUGE FAILED: ${firstLine(h)}`;
  const load = (/** @type {import('../shared/protocol.js').HugeLoad} */ l) =>
    `${(l.ms / 1000).toFixed(1)} s (${l.cache}; download ${(l.timings.downloadMs / 1000).toFixed(1)} s, ` +
    `cache read ${(l.timings.cacheReadMs / 1000).toFixed(1)} s, session ${(l.timings.sessionMs / 1000).toFixed(1)} s)`;
  return (
    `HUGE ${(h.bytes / 2 ** 30).toFixed(2)} GiB: first load ${load(h.cold)}; cached load ${load(h.warm)}; ` +
    `max |output - reference| ${h.maxAbsDiff.toExponential(2)}; same output after the cached load: ${h.sameOutputs}`
  );
}

/** @param {StorageSummary | (Failed & { chunkBytes: number })} s */
function storageLines(s) {
  const chunk = `${(s.chunkBytes / 2 ** 20).toFixed(0)} MiB chunks`.padEnd(14);
  if (isFailed(s)) return `P4/P5 ${chunk} FAILED: ${firstLine(s)}`;
  const { p4, p5 } = s;
  const hits = s.allCached ? '' : ' [the loads were not stored then hit]';
  return (
    `P5 ${chunk} download+verify+store=${p5.downloadMs.toFixed(0)}ms alone: fetch=${p5.fetchMs.toFixed(0)}ms ` +
    `hash=${p5.hashMs.toFixed(0)}ms idbWrite=${p5.idbWriteMs.toFixed(0)}ms ratio=${p5.ratio.toFixed(3)} over ${p5.slowest} ` +
    `(goal <= ${goals.p5Ratio}) ${verdict(p5.ratio <= goals.p5Ratio)}${hits}\n` +
    `   ${chunk} floor: bare streamed fetch writing the same chunks, unhashed=${p5.pipelineMs.toFixed(0)}ms ` +
    `ratio=${p5.floor.toFixed(3)} over ${p5.slowest}\n` +
    `P4 ${chunk} verifiedCacheRead=${p4.cacheReadMs.toFixed(0)}ms opfs: getFile=${p4.opfsReadMs.toFixed(0)}ms ` +
    `syncHandle=${p4.opfsSyncReadMs.toFixed(0)}ms ratio=${p4.ratio.toFixed(3)} over the faster ` +
    `(goal <= ${goals.p4Ratio}) ${verdict(p4.ratio <= goals.p4Ratio)}\n` +
    `   ${chunk} a fresh worker's warm start reads beside onnxruntime-web's start: ` +
    `${p4.warmStartReadMs.toFixed(0)}ms (not P4)\n` +
    `   ${chunk} alone: IndexedDB Blob read=${s.alone.idbReadMs.toFixed(0)}ms, typed arrays ` +
    `write=${s.alone.idbTypedWriteMs.toFixed(0)}ms read=${s.alone.idbTypedReadMs.toFixed(0)}ms; ` +
    `WebCrypto hash=${s.alone.hashWebCryptoMs.toFixed(0)}ms`
  );
}

/**
 * @param {string} model
 * @param {P1Summary | Failed} s
 */
function p1Line(model, s) {
  if (isFailed(s)) return `P1 ${model.padEnd(5)} FAILED: ${s.error.split('\n')[0]}`;
  return (
    `P1 ${model.padEnd(5)} warmStart=${s.webinferMs.toFixed(0)}ms sessionFromMemory=${s.baselineMs.toFixed(0)}ms ` +
    `ratio=${s.ratio.toFixed(3)} (goal <= ${goals.p1Ratio}) ${verdict(s.ratio <= goals.p1Ratio)}${s.allHits ? '' : ' [not every warm start was a cache hit]'}` +
    ` (manifest ${s.phases.manifestMs.toFixed(0)}ms, cache read ${s.phases.cacheReadMs.toFixed(0)}ms, session ${s.phases.sessionMs.toFixed(0)}ms)`
  );
}
