/** Turns raw per-call samples from the page into the figures the bench reports. */
import { median, minus, quantile, ratios, sum, trimmedMean } from './stats.mjs';

/** @typedef {import('../shared/protocol.js').P2Samples} P2Samples */

/**
 * A task that threw in the page: its figure is reported as this error instead of numbers.
 *
 * @typedef {{ error: string }} Failed
 */

/**
 * @param {object} value
 * @returns {value is Failed}
 */
export const isFailed = (value) => 'error' in value;

/**
 * Medians over one sample of calls. `ratio` is median(roundTrip) / median(inference), the goal's
 * figure; `transitMs` is roundTrip − workerMs (page ↔ worker and back); `workerOverheadMs` is the
 * worker's work besides `session.run`.
 *
 * @param {P2Samples} s
 */
function p2Figures(s) {
  return {
    calls: s.roundTripMs.length,
    roundTripMs: median(s.roundTripMs),
    inferenceMs: median(s.inferenceMs),
    ratio: median(s.roundTripMs) / median(s.inferenceMs),
    medianCallRatio: median(ratios(s.roundTripMs, s.inferenceMs)),
    transitMs: median(minus(s.roundTripMs, s.workerMs)),
    workerOverheadMs: median(minus(s.workerMs, s.inferenceMs)),
    p90RoundTripMs: quantile(s.roundTripMs, 0.9),
  };
}

/** @typedef {ReturnType<typeof p2Figures>} P2Figures */
/** @typedef {{ steady: P2Figures, early: P2Figures, callsBeforeSteady: number }} P2Summary */

/**
 * @param {import('../shared/protocol.js').P2Result | Failed} p2
 * @returns {P2Summary | Failed}
 */
export function summarizeP2(p2) {
  if (isFailed(p2)) return p2;
  return { steady: p2Figures(p2.steady), early: p2Figures(p2.early), callsBeforeSteady: p2.callsBeforeSteady };
}

/**
 * The floor under the round trip: the same feeds echoed by a bare worker (median ms).
 *
 * @typedef {{ rawMs: number, comlinkMs: number }} EchoSummary
 */

/**
 * @param {import('../shared/protocol.js').EchoResult | Failed} echo
 * @returns {EchoSummary | Failed}
 */
export function summarizeEcho(echo) {
  return isFailed(echo) ? echo : { rawMs: median(echo.rawMs), comlinkMs: median(echo.comlinkMs) };
}

/**
 * @typedef {{ longTasks: number, longTaskMs: number, longestMs: number, loadMs: number, runMedianMs: number, threads: number }} P3Summary
 */

/**
 * @param {import('../shared/protocol.js').P3Result | Failed} p3
 * @returns {P3Summary | Failed}
 */
export function summarizeP3(p3) {
  if (isFailed(p3)) return p3;
  const durations = p3.longTasks.map((task) => task.duration);
  return {
    longTasks: durations.length,
    longTaskMs: sum(durations),
    longestMs: durations.length > 0 ? Math.max(...durations) : 0,
    loadMs: p3.loadMs,
    runMedianMs: median(p3.runMs),
    threads: p3.threads,
  };
}

/**
 * P1: median warm start over median session create from memory, each fresh (see bench/page/p1.ts).
 *
 * @typedef {{ webinferMs: number, baselineMs: number, ratio: number, allHits: boolean,
 *   phases: { manifestMs: number, cacheReadMs: number, sessionMs: number } }} P1Summary
 */

/**
 * @param {import('../shared/protocol.js').P1Result | Failed} p1
 * @returns {P1Summary | Failed}
 */
export function summarizeP1(p1) {
  if (isFailed(p1)) return p1;
  const webinferMs = median(p1.webinferMs);
  const baselineMs = median(p1.baselineMs);
  const phase = (/** @type {'manifestMs' | 'cacheReadMs' | 'sessionMs'} */ name) => median(p1.timings.map((t) => t[name]));
  return {
    webinferMs,
    baselineMs,
    ratio: webinferMs / baselineMs,
    allHits: p1.cacheStates.every((s) => s === 'hit'),
    phases: { manifestMs: phase('manifestMs'), cacheReadMs: phase('cacheReadMs'), sessionMs: phase('sessionMs') },
  };
}

/**
 * P4 and P5 for one chunk size (see bench/page/storage.ts). P5: download + verify + store over
 * the slowest part alone; P4: verified cache read over the faster raw OPFS read.
 *
 * @typedef {{ chunkBytes: number, bytes: number, allCached: boolean,
 *   p5: { downloadMs: number, fetchMs: number, hashMs: number, idbWriteMs: number, slowest: string, ratio: number,
 *     pipelineMs: number, floor: number },
 *   p4: { cacheReadMs: number, warmStartReadMs: number, opfsReadMs: number, opfsSyncReadMs: number, ratio: number },
 *   alone: import('../shared/protocol.js').StorageResult['alone'] }} StorageSummary
 */

/**
 * @param {number} chunkBytes
 * @param {import('../shared/protocol.js').StorageResult | Failed} result
 * @returns {StorageSummary | (Failed & { chunkBytes: number })}
 */
export function summarizeStorage(chunkBytes, result) {
  if (isFailed(result)) return { ...result, chunkBytes };
  const { webinfer: w, alone: a } = result;
  const parts = /** @type {const} */ ([
    ['fetch', a.fetchMs],
    ['hash', a.hashMs],
    ['idb-write', a.idbWriteMs],
  ]);
  const [slowest, slowestMs] = parts.reduce((worst, part) => (part[1] > worst[1] ? part : worst));
  const opfsMs = Math.min(a.opfsReadMs, a.opfsSyncReadMs);
  return {
    chunkBytes,
    bytes: result.bytes,
    allCached: w.downloadCache === 'stored' && w.readCache === 'hit',
    p5: {
      downloadMs: w.downloadMs,
      fetchMs: a.fetchMs,
      hashMs: a.hashMs,
      idbWriteMs: a.idbWriteMs,
      slowest,
      ratio: w.downloadMs / slowestMs,
      pipelineMs: a.pipelineMs,
      floor: a.pipelineMs / slowestMs,
    },
    p4: {
      cacheReadMs: w.cacheReadMs,
      warmStartReadMs: w.warmStartReadMs,
      opfsReadMs: a.opfsReadMs,
      opfsSyncReadMs: a.opfsSyncReadMs,
      ratio: w.cacheReadMs / opfsMs,
    },
    alone: a,
  };
}

/**
 * P6: medians of the alternated runs. `ratio` is concurrent ÷ (b) one request of 32 rows, the
 * goal's figure; `speedup` is (a) one by one ÷ concurrent.
 *
 * @typedef {{ verified: boolean, concurrentMs: number, sequentialMs: number, oneBatchMs: number, ratio: number,
 *   speedup: number, meanBatchSize: number, busyTransitMs: number, idleTransitMs: number }} P6Summary
 */

/**
 * @param {import('../shared/protocol.js').P6Result | Failed} p6
 * @returns {P6Summary | Failed}
 */
export function summarizeP6(p6) {
  if (isFailed(p6)) return p6;
  const concurrentMs = median(p6.concurrentMs);
  const sequentialMs = median(p6.sequentialMs);
  const oneBatchMs = median(p6.oneBatchMs);
  return {
    verified: p6.verified,
    concurrentMs,
    sequentialMs,
    oneBatchMs,
    ratio: concurrentMs / oneBatchMs,
    speedup: sequentialMs / concurrentMs,
    meanBatchSize: sum(p6.batchSizes) / p6.batchSizes.length,
    busyTransitMs: median(p6.busyTransitMs),
    idleTransitMs: median(p6.idleTransitMs),
  };
}

/**
 * P8: medians of each side's round trips over the alternated blocks of every page (watched and
 * unwatched calls of one session). `ratio` is monitoring on ÷ off, the goal's figure: the median
 * over pairs of neighbouring blocks of their medians' ratio (`pooledRatio`: of all calls);
 * `inferenceRatio` the same for `session.run` alone in the worker, which monitoring does not
 * touch: the noise floor of the figure.
 *
 * @typedef {{ model: string, onMs: number, offMs: number, ratio: number, pooledRatio: number, onInferenceMs: number,
 *   offInferenceMs: number, inferenceRatio: number, onWorkerMs: number, offWorkerMs: number,
 *   onAfterReplyMs: number, offAfterReplyMs: number, calls: number, pages: number }} P8Summary
 */

/**
 * @param {(import('../shared/protocol.js').P8Result | Failed)[]} runs one page each, both block orders, pooled
 * @returns {P8Summary | Failed}
 */
export function summarizeP8(runs) {
  const failed = runs.find(isFailed);
  if (failed) return failed;
  const done = /** @type {import('../shared/protocol.js').P8Result[]} */ (runs);
  /** @param {'on' | 'off' | 'onInference' | 'offInference' | 'onWorker' | 'offWorker' | 'onAfterReply' | 'offAfterReply'} key */
  const pooled = (key) => done.flatMap((run) => run[key]);
  const p8 = {
    model: done[0]?.model ?? '',
    on: pooled('on'),
    off: pooled('off'),
    onInference: pooled('onInference'),
    offInference: pooled('offInference'),
    onWorker: pooled('onWorker'),
    offWorker: pooled('offWorker'),
  };
  const onMs = median(p8.on);
  const offMs = median(p8.off);
  const onInferenceMs = median(p8.onInference);
  const offInferenceMs = median(p8.offInference);
  // Paired: each block of 40 calls against the other side's block beside it in time, so that
  // the machine's load, which drifts over a run, cancels; the median of those ratios.
  const blocks = p8.on.length / 40;
  const blockRatios = Array.from(
    { length: blocks },
    (_, b) => median(p8.on.slice(b * 40, b * 40 + 40)) / median(p8.off.slice(b * 40, b * 40 + 40)),
  );
  return {
    model: p8.model,
    onMs,
    offMs,
    ratio: median(blockRatios),
    pooledRatio: onMs / offMs,
    onInferenceMs,
    offInferenceMs,
    inferenceRatio: onInferenceMs / offInferenceMs,
    onWorkerMs: median(p8.onWorker),
    offWorkerMs: median(p8.offWorker),
    onAfterReplyMs: trimmedMean(pooled('onAfterReply')),
    offAfterReplyMs: trimmedMean(pooled('offAfterReply')),
    calls: p8.on.length,
    pages: done.length,
  };
}

/**
 * P9': medians of the alternated runs. `ratio` is webinfer (ImageData through the worker) ÷ the
 * main-thread canvas path, the goal's figure.
 *
 * @typedef {{ webinferMs: number, baselineMs: number, ratio: number, bitmapMs: number,
 *   bitmapBusyMs: number, wholeTensorMs: number, frameMs: number, frameBusyMs: number,
 *   pageBusyMs: number, transferBusyMs: number,
 *   preprocessMs: number }} P9Summary
 */

/**
 * @param {import('../shared/protocol.js').P9Result | Failed} p9
 * @returns {P9Summary | Failed}
 */
export function summarizeP9(p9) {
  if (isFailed(p9)) return p9;
  const webinferMs = median(p9.webinferMs);
  const baselineMs = median(p9.baselineMs);
  return {
    webinferMs,
    baselineMs,
    ratio: webinferMs / baselineMs,
    bitmapMs: median(p9.bitmapMs),
    bitmapBusyMs: median(p9.bitmapBusyMs),
    frameMs: median(p9.frameMs),
    frameBusyMs: median(p9.frameBusyMs),
    wholeTensorMs: median(p9.wholeTensorMs),
    pageBusyMs: median(p9.pageBusyMs),
    transferBusyMs: median(p9.transferBusyMs),
    preprocessMs: median(p9.preprocessMs),
  };
}

/**
 * Model updates under load: the median swap (check to swap, and preparing the new version), the
 * calls in flight at each swap, and the p99 round trip during swaps against without (a ratio
 * within the run: the machine is shared).
 *
 * @param {import('../shared/protocol.js').UpdateResult | Failed} result
 */
export function summarizeUpdate(result) {
  if (isFailed(result)) return result;
  const p99 = (/** @type {number[]} */ ms) => [...ms].sort((a, b) => a - b)[Math.floor(0.99 * (ms.length - 1))] ?? Number.NaN;
  return {
    swaps: result.swapMs.length,
    swapMs: median(result.swapMs),
    maxSwapMs: Math.max(...result.swapMs),
    preparedMs: median(result.preparedMs),
    inFlight: result.inFlight,
    baselineP50Ms: median(result.baselineMs),
    baselineP99Ms: p99(result.baselineMs),
    duringP50Ms: median(result.duringMs),
    duringP99Ms: p99(result.duringMs),
    p99Ratio: p99(result.duringMs) / p99(result.baselineMs),
    failed: result.failed,
  };
}
