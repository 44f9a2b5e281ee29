import type { Emitter } from '../lib/emitter.js';
import type { UpdateWatcher } from '../runtime/model-updates.js';
import type { Anomaly, LoadTimings, ModelInfo, RunTimings, RuntimeEvents } from '../types.js';
import { AccuracyWatch, type Judged } from './accuracy-watch.js';
import { AnomalyLimiter } from './anomaly-limiter.js';
import type { FeedbackConfig } from './feedback-schema.js';
import { LatencyWatch } from './latency-watch.js';
import { labelsOf, MetricsRegistry, type ModelMetrics, seriesKey } from './metrics.js';
import { ModelWatch } from './model-watch.js';
import type { RunRecorder } from './run-recorder.js';
import { warnIfNotIsolated } from './single-thread-warning.js';

type Timings = RunTimings & { readonly roundTripMs: number };

/** Calls noted before they are counted together; fewer are counted this long after the first. */
const batch = 64;
const countWithinMs = 100;

/**
 * The page's side of monitoring for one runtime: every call's timings into the metrics, latency
 * spikes and error bursts judged per model, version and backend, and every anomaly (these and
 * the worker's) turned into rate-limited `anomaly` events.
 *
 * Calls are counted in batches: every `batch` calls, or `countWithinMs` after the
 * first one not counted yet when fewer follow. A call itself only notes its timings. Counted
 * one by one, each call's counting ran with the CPU's caches cold from the call and cost a VAD
 * call 2–3 % (P8); the same work for a batch runs warm. Whatever reads or adds to what they
 * feed (`metrics`, a failure, an anomaly, a load) counts them first, so nothing is seen out
 * of order; a latency spike's `anomaly` event comes up to `countWithinMs` later.
 */
export class RuntimeObserver {
  readonly #metrics = new MetricsRegistry();
  readonly #limiter: AnomalyLimiter;
  readonly #watches = new Map<string, LatencyWatch>();
  /** Each info object's metrics series and latency watch, found once: a call needs both (P8). */
  readonly #tracked = new WeakMap<ModelInfo, { readonly runs: RunRecorder; readonly watch: LatencyWatch }>();
  readonly #accuracy = new Map<string, AccuracyWatch>();
  readonly #events: Emitter<RuntimeEvents>;
  readonly #onRun: ((roundTripMs: number, end: number) => void) | undefined;
  /** Calls that returned, not counted yet, and the timer that will count them. */
  #ended: { readonly info: ModelInfo; readonly timings: Timings; readonly endedAt: number }[] = [];
  #counting: ReturnType<typeof setTimeout> | undefined;

  /** `intervalMs`: the anomaly rate limit; `onRun`: told of each call that ended (telemetry). */
  constructor(
    events: Emitter<RuntimeEvents>,
    { intervalMs, onRun }: { intervalMs?: number; onRun?: (roundTripMs: number, end: number) => void } = {},
  ) {
    this.#events = events;
    this.#limiter = new AnomalyLimiter(intervalMs === undefined ? {} : { intervalMs });
    this.#onRun = onRun;
  }

  /**
   * A load: its phases into the metrics (with why it runs on one thread, for telemetry); each
   * backend that failed the canary, an anomaly; a page not cross-origin isolated, one warning.
   */
  loaded(info: ModelInfo, timings: LoadTimings): void {
    this.#count();
    this.#metrics.recordLoad(labelsOf(info), timings, info.loadMs, info.singleThread);
    warnIfNotIsolated(info);
    const failed = info.canary?.failed ?? [];
    this.#emit(
      info,
      failed.map(({ backend, reason }) => ({
        kind: 'canary',
        tensor: '(canary)',
        where: 'output',
        message: `${info.id}@${info.version} failed its canary on ${backend}, moved to ${info.backend}: ${reason}`,
        details: { failedOn: backend, movedTo: info.backend },
      })),
    );
  }

  /** A call that returned at `endedAt` (`performance.now()` time): counted with its batch. */
  ran(info: ModelInfo, timings: Timings, endedAt: number): void {
    if (this.#ended.push({ info, timings, endedAt }) === batch) {
      this.#count();
      return;
    }
    // One timer at a time, never reset: a timer per call cost more than the counting.
    this.#counting ??= setTimeout(() => {
      this.#counting = undefined;
      this.#count();
    }, countWithinMs);
  }

  /** The calls that returned since the last count, into the metrics and their latency watches. */
  #count(): void {
    const ended = this.#ended;
    if (ended.length === 0) return;
    this.#ended = [];
    for (const { info, timings, endedAt } of ended) {
      let tracked = this.#tracked.get(info);
      if (!tracked) {
        tracked = { runs: this.#metrics.runs(labelsOf(info)), watch: this.#watch(info) };
        this.#tracked.set(info, tracked);
      }
      tracked.runs.record(timings);
      this.#onRun?.(timings.roundTripMs, endedAt);
      const spike = tracked.watch.latency(timings.roundTripMs);
      if (spike) this.#emit(info, [spike]);
    }
  }

  noticed(info: ModelInfo, anomalies: readonly Anomaly[]): void {
    this.#count();
    this.#emit(info, anomalies);
  }

  failed(info: ModelInfo, code: string): void {
    this.#count();
    this.#metrics.recordError(labelsOf(info), code);
    const burst = this.#watch(info).failure(code);
    if (burst) this.#emit(info, [burst]);
  }

  judged(info: ModelInfo, judged: Judged, config: FeedbackConfig, output: string): void {
    this.#count();
    const labels = labelsOf(info);
    this.#metrics.recordFeedback(labels, judged);
    const key = seriesKey(labels);
    let watch = this.#accuracy.get(key);
    if (!watch) {
      watch = new AccuracyWatch(config);
      this.#accuracy.set(key, watch);
    }
    const drop = watch.add(judged, output);
    if (drop) this.#emit(info, [drop]);
  }

  /** A model just loaded: its side of monitoring (result ids, and predictions for feedback). */
  track(info: ModelInfo, updates?: UpdateWatcher): ModelWatch {
    return new ModelWatch(this, info, updates);
  }

  metrics(): ModelMetrics[] {
    this.#count();
    return this.#metrics.snapshot();
  }

  #watch(info: ModelInfo): LatencyWatch {
    const key = seriesKey(labelsOf(info));
    let watch = this.#watches.get(key);
    if (!watch) {
      watch = new LatencyWatch();
      this.#watches.set(key, watch);
    }
    return watch;
  }

  #emit(info: ModelInfo, anomalies: readonly Anomaly[]): void {
    if (anomalies.length === 0) return;
    for (const event of this.#limiter.admit(labelsOf(info), anomalies)) this.#events.emit('anomaly', event);
  }
}
