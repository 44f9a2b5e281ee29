import type { LoadTimings, RunTimings, SingleThreadCause } from '../types.js';
import type { Judged } from './accuracy-watch.js';
import { Histogram, type HistogramSnapshot } from './histogram.js';
import { RunRecorder } from './run-recorder.js';

/** Phases of one inference, as `runDetailed` times them. */
export const runPhases = ['queue', 'preprocess', 'inference', 'postprocess', 'total'] as const;
/**
 * Phases of one load (`model.info.loadTimings`), and the first inference after it. SHA-256 is
 * checked as bytes stream, so verifying is inside `network` and `cacheRead`; `warmup` is the
 * canary's run, for models whose manifest has one.
 */
export const loadPhases = ['manifest', 'network', 'cacheRead', 'session', 'warmup', 'load', 'firstInference'] as const;

export type RunPhase = (typeof runPhases)[number];
export type LoadPhase = (typeof loadPhases)[number];

/** A phase's figures, in milliseconds: quantiles read from its histogram (within one bucket). */
export interface PhaseSummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** What `model.feedback` said of a model version's predictions (accuracy NaN until judged). */
export interface FeedbackSummary {
  /** Classifier rows judged, and those right. */
  readonly count: number;
  readonly correct: number;
  readonly accuracy: number;
  /** Regression values judged, and their absolute errors (in the output's units). */
  readonly errors: number;
  readonly meanAbsoluteError: number;
  readonly p95AbsoluteError: number;
}

/** What `rt.metrics()` says of one model version on one backend. */
export interface ModelMetrics {
  readonly model: string;
  readonly version: string;
  readonly backend: string;
  readonly runs: number;
  /** Runs that failed, by error code. */
  readonly errors: Readonly<Record<string, number>>;
  readonly phases: Readonly<Record<RunPhase, PhaseSummary>>;
  readonly load: Readonly<Record<LoadPhase, PhaseSummary>>;
  readonly feedback: FeedbackSummary;
  /** Why its session runs on one wasm thread, when not by the caller's choice (`model.info.singleThread`). */
  readonly singleThread?: SingleThreadCause;
  /**
   * The histograms themselves (`bucketBounds`), for telemetry and merging: seconds for the
   * phases, the output's units for `absoluteError`.
   */
  readonly histograms: Readonly<Record<HistogramName, HistogramSnapshot>>;
}

export type HistogramName = RunPhase | LoadPhase | 'absoluteError';

/** Which model, version and backend a measurement belongs to: the labels of every metric. */
export interface MetricLabels {
  readonly model: string;
  readonly version: string;
  readonly backend: string;
}

/** The labels of a loaded model's measurements. */
export function labelsOf(info: { readonly id: string; readonly version: string; readonly backend: string }): MetricLabels {
  return { model: info.id, version: info.version, backend: info.backend };
}

/** One key per model, version and backend: what series, watches and rate limits are kept by. */
export function seriesKey(labels: MetricLabels): string {
  return `${labels.model}\u0000${labels.version}\u0000${labels.backend}`;
}

interface Series {
  readonly labels: MetricLabels;
  readonly histograms: Record<HistogramName, Histogram>;
  readonly errors: Record<string, number>;
  readonly judged: { count: number; correct: number };
  readonly runs: RunRecorder;
  singleThread?: SingleThreadCause | undefined;
}

const seconds = (ms: number) => ms / 1000;

/**
 * Latency histograms per model, version and backend, kept on the page from the timings each
 * call already carries: recording is a few additions per call, so it is always on.
 */
export class MetricsRegistry {
  readonly #series = new Map<string, Series>();

  #of(labels: MetricLabels): Series {
    const key = seriesKey(labels);
    let series = this.#series.get(key);
    if (!series) {
      const histograms = Object.fromEntries(
        [...runPhases, ...loadPhases, 'absoluteError'].map((name) => [name, new Histogram()]),
      ) as Series['histograms'];
      const runs = new RunRecorder(histograms);
      series = { labels: { ...labels }, histograms, errors: {}, judged: { count: 0, correct: 0 }, runs };
      this.#series.set(key, series);
    }
    return series;
  }

  /** A load's phases; `singleThread`: why its session runs on one thread (the latest load's says). */
  recordLoad(labels: MetricLabels, timings: LoadTimings, loadMs: number, singleThread?: SingleThreadCause): void {
    const series = this.#of(labels);
    series.singleThread = singleThread;
    const { histograms } = series;
    histograms.manifest.record(seconds(timings.manifestMs));
    histograms.network.record(seconds(timings.downloadMs));
    histograms.cacheRead.record(seconds(timings.cacheReadMs));
    histograms.session.record(seconds(timings.sessionMs));
    if (timings.warmupMs !== undefined) histograms.warmup.record(seconds(timings.warmupMs));
    histograms.load.record(seconds(loadMs));
    series.runs.loaded();
  }

  recordRun(labels: MetricLabels, timings: RunTimings & { readonly roundTripMs: number }): void {
    this.#of(labels).runs.record(timings);
  }

  /** Where a series' calls are recorded, for a caller that records many (the observer keeps it per model). */
  runs(labels: MetricLabels): RunRecorder {
    return this.#of(labels).runs;
  }

  recordError(labels: MetricLabels, code: string): void {
    const { errors } = this.#of(labels);
    errors[code] = (errors[code] ?? 0) + 1;
  }

  /** Classifier rows judged right or wrong; regression values' absolute errors. */
  recordFeedback(labels: MetricLabels, judged: Judged): void {
    const series = this.#of(labels);
    if (judged.task === 'classification') {
      series.judged.count += judged.count;
      series.judged.correct += judged.correct;
    } else {
      for (const error of judged.absoluteErrors) series.histograms.absoluteError.record(error);
    }
  }

  snapshot(): ModelMetrics[] {
    return [...this.#series.values()].map(({ labels, histograms, errors, judged, runs, singleThread }) => {
      runs.fold();
      const summary = (phase: RunPhase | LoadPhase) => summarize(histograms[phase]);
      return {
        ...labels,
        runs: histograms.total.count,
        errors: { ...errors },
        phases: Object.fromEntries(runPhases.map((phase) => [phase, summary(phase)])) as ModelMetrics['phases'],
        load: Object.fromEntries(loadPhases.map((phase) => [phase, summary(phase)])) as ModelMetrics['load'],
        feedback: feedbackSummary(judged, histograms.absoluteError),
        ...(singleThread ? { singleThread } : {}),
        histograms: Object.fromEntries(
          Object.entries(histograms).map(([phase, h]) => [phase, h.snapshot()]),
        ) as ModelMetrics['histograms'],
      };
    });
  }
}

function feedbackSummary(judged: { count: number; correct: number }, errors: Histogram): FeedbackSummary {
  const { count, sum } = errors.snapshot();
  return {
    count: judged.count,
    correct: judged.correct,
    accuracy: judged.count ? judged.correct / judged.count : Number.NaN,
    errors: count,
    meanAbsoluteError: count ? sum / count : Number.NaN,
    p95AbsoluteError: errors.quantile(0.95),
  };
}

function summarize(histogram: Histogram): PhaseSummary {
  const { count, sum, max } = histogram.snapshot();
  const ms = (s: number) => (Number.isFinite(s) ? s * 1000 : Number.NaN);
  return {
    count,
    meanMs: count ? ms(sum / count) : Number.NaN,
    p50Ms: ms(histogram.quantile(0.5)),
    p95Ms: ms(histogram.quantile(0.95)),
    p99Ms: ms(histogram.quantile(0.99)),
    maxMs: count ? ms(max) : Number.NaN,
  };
}
