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

/**
 * The page's side of monitoring for one runtime: every call's timings into the metrics, latency
 * spikes and error bursts judged per model, version and backend, and every anomaly (these and
 * the worker's) turned into rate-limited `anomaly` events.
 */
export class RuntimeObserver {
  readonly #metrics = new MetricsRegistry();
  readonly #limiter: AnomalyLimiter;
  readonly #watches = new Map<string, LatencyWatch>();
  /** Each info object's metrics series and latency watch, found once: a call needs both (P8). */
  readonly #tracked = new WeakMap<ModelInfo, { readonly runs: RunRecorder; readonly watch: LatencyWatch }>();
  readonly #accuracy = new Map<string, AccuracyWatch>();
  readonly #events: Emitter<RuntimeEvents>;
  readonly #onRun: ((roundTripMs: number) => void) | undefined;

  /** `intervalMs`: the anomaly rate limit; `onRun`: told of each call that ended (telemetry). */
  constructor(
    events: Emitter<RuntimeEvents>,
    { intervalMs, onRun }: { intervalMs?: number; onRun?: (roundTripMs: number) => void } = {},
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

  ran(info: ModelInfo, timings: RunTimings & { readonly roundTripMs: number }): void {
    let tracked = this.#tracked.get(info);
    if (!tracked) {
      tracked = { runs: this.#metrics.runs(labelsOf(info)), watch: this.#watch(info) };
      this.#tracked.set(info, tracked);
    }
    tracked.runs.record(timings);
    this.#onRun?.(timings.roundTripMs);
    const spike = tracked.watch.latency(timings.roundTripMs);
    if (spike) this.#emit(info, [spike]);
  }

  noticed(info: ModelInfo, anomalies: readonly Anomaly[]): void {
    this.#emit(info, anomalies);
  }

  failed(info: ModelInfo, code: string): void {
    this.#metrics.recordError(labelsOf(info), code);
    const burst = this.#watch(info).failure(code);
    if (burst) this.#emit(info, [burst]);
  }

  judged(info: ModelInfo, judged: Judged, config: FeedbackConfig, output: string): void {
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
