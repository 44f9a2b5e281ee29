import { bucketBounds } from '../monitor/histogram.js';
import { loadPhases, runPhases } from '../monitor/metrics.js';
import type { Beacon, DroppedCounts, MetricsDelta } from '../telemetry/beacon.js';
import type { SingleThreadCause } from '../types.js';
import { addToRuntimeBuckets, bucketPairs } from './otlp-buckets.js';
import {
  type Attributes,
  attributesOf,
  booleanAt,
  type DecodeContext,
  type Envelope,
  envelopeOf,
  type LocatedBeacon,
  stringAt,
} from './otlp-envelope.js';
import { Rejections } from './otlp-partial-success.js';
import type { MetricsRequest, OtlpHistogramPoint, OtlpMetric, OtlpNumberPoint } from './otlp-schema.js';

/**
 * `POST /v1/metrics` as beacons: the inverse of webinfer's own encoding (`telemetry/otlp.ts`),
 * one beacon per scope that has any of webinfer's points. Only webinfer's metrics, with delta
 * temporality, map to a beacon's fields:
 *
 * | metric | kind | attributes | becomes |
 * | --- | --- | --- | --- |
 * | `webinfer.run.duration`, `webinfer.load.duration` | histogram | model, version, backend, `webinfer.phase` | `histograms[phase]`; `runs` is the `total` phase's count |
 * | `webinfer.load.duration` | histogram | `webinfer.single_thread` (optional) | `singleThread` |
 * | `webinfer.feedback.absolute_error` | histogram | model, version, backend | `histograms.absoluteError` |
 * | `webinfer.run.errors` | sum | model, version, backend, `error.code` | `errors[code]` |
 * | `webinfer.feedback.judged` | sum | model, version, backend, `webinfer.correct` | `feedback` |
 * | `webinfer.long_frames` | sum | `webinfer.during_inference` | `longFrames` (blocking time is not sent over OTLP: 0) |
 * | `webinfer.telemetry.dropped` | sum | `reason` | `dropped` |
 *
 * (model, version, backend: `webinfer.model`, `webinfer.version`, `webinfer.backend`.) Any other
 * point, one with another temporality, or one without an attribute webinfer needs (or with
 * another type) is counted in `rejections` and not stored. Values are not judged here:
 * `checkBeacon` judges the beacons, as for `POST /collect`.
 */
export function beaconsFromMetrics(
  request: MetricsRequest,
  { bodyDigest, now }: DecodeContext,
): { batches: LocatedBeacon[]; rejections: Rejections } {
  const rejections = new Rejections();
  const batches: LocatedBeacon[] = [];
  (request.resourceMetrics ?? []).forEach((resourceMetrics, r) => {
    const resource = attributesOf(resourceMetrics.resource?.attributes);
    (resourceMetrics.scopeMetrics ?? []).forEach((scopeMetrics, s) => {
      const at = `resourceMetrics.${r}.scopeMetrics.${s}`;
      const build = new ScopeBuild();
      for (const metric of scopeMetrics.metrics ?? []) take(metric, build, rejections);
      if (build.accepted === 0) return;
      const envelope = envelopeOf(resource, attributesOf(scopeMetrics.scope?.attributes), { signal: 'metrics', at, bodyDigest });
      batches.push({ beacon: build.beacon(envelope, now), at });
    });
  });
  return { batches, rejections };
}

/** What one accepted point adds to the scope's beacon; else why it is left out. */
type Take<P> = (point: P, attrs: Attributes, build: ScopeBuild) => string | undefined;

const histogramRules = new Map<string, Take<OtlpHistogramPoint>>([
  ['webinfer.run.duration', phaseHistogram(runPhases)],
  ['webinfer.load.duration', phaseHistogram(loadPhases)],
  [
    'webinfer.feedback.absolute_error',
    (point, attrs, build) => {
      const series = build.series(attrs);
      if (!series) return missingLabels;
      return series.addHistogram('absoluteError', point);
    },
  ],
]);

const droppedReasons = new Set<string>(['batches', 'anomalies', 'rejected'] satisfies (keyof DroppedCounts)[]);

const sumRules = new Map<string, Take<OtlpNumberPoint>>([
  [
    'webinfer.run.errors',
    (point, attrs, build) => {
      const series = build.series(attrs);
      const code = stringAt(attrs, 'error.code');
      if (!series) return missingLabels;
      if (code === undefined) return 'a point without error.code';
      series.errors.set(code, (series.errors.get(code) ?? 0) + amountOf(point));
      return undefined;
    },
  ],
  [
    'webinfer.feedback.judged',
    (point, attrs, build) => {
      const series = build.series(attrs);
      const correct = booleanAt(attrs, 'webinfer.correct');
      if (!series) return missingLabels;
      if (correct === undefined) return 'a point without webinfer.correct (a boolean)';
      series.judged.seen = true;
      series.judged.count += amountOf(point);
      if (correct) series.judged.correct += amountOf(point);
      return undefined;
    },
  ],
  [
    'webinfer.long_frames',
    (point, attrs, build) => {
      const during = booleanAt(attrs, 'webinfer.during_inference');
      if (during === undefined) return 'a point without webinfer.during_inference (a boolean)';
      // The two series add up to every long frame; `true` is those during model calls.
      build.longFrames.count += amountOf(point);
      if (during) build.longFrames.duringInference += amountOf(point);
      return undefined;
    },
  ],
  [
    'webinfer.telemetry.dropped',
    (point, attrs, build) => {
      const reason = stringAt(attrs, 'reason');
      if (reason === undefined || !droppedReasons.has(reason))
        return 'a point whose reason is not batches, anomalies or rejected';
      build.dropped.set(reason, (build.dropped.get(reason) ?? 0) + amountOf(point));
      return undefined;
    },
  ],
]);

const missingLabels = 'a point without webinfer.model, webinfer.version and webinfer.backend (strings)';
const deltaTemporality = 1;

function take(metric: OtlpMetric, build: ScopeBuild, rejections: Rejections): void {
  const { name } = metric;
  const histogram = histogramRules.get(name);
  const sum = sumRules.get(name);
  const refused = metricRefusal(metric, histogram ? 'histogram' : sum ? 'sum' : undefined);
  if (refused !== undefined) {
    rejections.add(refused, pointsOf(metric));
    return;
  }
  const tally = (point: { readonly timeUnixNano?: number | undefined }, why: string | undefined) => {
    if (why !== undefined) {
      rejections.add(`${name}: ${why}`);
      return;
    }
    build.accepted++;
    // Epoch ms: the schema turned OTLP's nanoseconds into ms.
    build.latest = Math.max(build.latest, point.timeUnixNano ?? 0);
  };
  if (histogram) {
    for (const point of metric.histogram?.dataPoints ?? []) tally(point, histogram(point, attributesOf(point.attributes), build));
  }
  if (sum) for (const point of metric.sum?.dataPoints ?? []) tally(point, sum(point, attributesOf(point.attributes), build));
}

/** Why none of a metric's points is taken (not webinfer's, not the kind it should be, not delta); else undefined. */
function metricRefusal(metric: OtlpMetric, kind: 'histogram' | 'sum' | undefined): string | undefined {
  if (kind === undefined) return `metric ${metric.name} is not webinfer's`;
  const data = metric[kind];
  if (!data) return `${metric.name} is not a ${kind}`;
  const temporality = data.aggregationTemporality ?? 0;
  return temporality === deltaTemporality ? undefined : `${metric.name} has temporality ${temporality}, not delta (1)`;
}

function phaseHistogram(phases: readonly string[]): Take<OtlpHistogramPoint> {
  return (point, attrs, build) => {
    const series = build.series(attrs);
    const phase = stringAt(attrs, 'webinfer.phase');
    if (!series) return missingLabels;
    if (phase === undefined || !phases.includes(phase)) return `a point whose webinfer.phase is not one of ${phases.join(', ')}`;
    // Judged by `checkBeacon` with the rest (one of the single-thread causes).
    const singleThread = stringAt(attrs, 'webinfer.single_thread');
    if (singleThread !== undefined) series.singleThread = singleThread;
    return series.addHistogram(phase, point);
  };
}

function pointsOf(metric: OtlpMetric): number {
  const data = metric.gauge ?? metric.sum ?? metric.histogram ?? metric.exponentialHistogram ?? metric.summary;
  return data?.dataPoints?.length ?? 0;
}

/** A sum point's value; a count, so `checkBeacon` refuses it later if it is not a whole number. */
const amountOf = (point: OtlpNumberPoint) => point.asInt ?? point.asDouble ?? 0;

interface HistogramBuild {
  readonly counts: number[];
  count: number;
  sum: number;
}

/** One model version on one backend, as its points add up. */
class SeriesBuild {
  readonly histograms = new Map<string, HistogramBuild>();
  readonly errors = new Map<string, number>();
  readonly judged = { count: 0, correct: 0, seen: false };
  /** From a load point's `webinfer.single_thread`. */
  singleThread: string | undefined;

  readonly model: string;
  readonly version: string;
  readonly backend: string;

  constructor(model: string, version: string, backend: string) {
    this.model = model;
    this.version = version;
    this.backend = backend;
  }

  /** Adds a histogram point (its buckets re-bucketed as `addToRuntimeBuckets` says); else why not. */
  addHistogram(name: string, point: OtlpHistogramPoint): string | undefined {
    const count = point.count ?? 0;
    if (point.sum === undefined && count > 0) return 'a histogram point without sum';
    let histogram = this.histograms.get(name);
    if (!histogram) {
      histogram = { counts: new Array<number>(bucketBounds.length + 1).fill(0), count: 0, sum: 0 };
      this.histograms.set(name, histogram);
    }
    addToRuntimeBuckets(point.explicitBounds ?? [], point.bucketCounts ?? [], histogram.counts);
    histogram.count += count;
    histogram.sum += point.sum ?? 0;
    return undefined;
  }

  /** Whether no point of it was taken (its attributes were seen on a point left out). */
  get empty(): boolean {
    return this.histograms.size === 0 && this.errors.size === 0 && !this.judged.seen;
  }

  delta(): MetricsDelta {
    // Object.fromEntries defines keys as own data properties: an `__proto__` code or phase stays a
    // key (which `checkBeacon` then refuses), never an object's prototype.
    const histograms = Object.fromEntries(
      [...this.histograms].map(([name, h]) => [name, { buckets: bucketPairs(h.counts), count: h.count, sum: h.sum }]),
    );
    const { count, correct, seen } = this.judged;
    return {
      model: this.model,
      version: this.version,
      backend: this.backend,
      // As the runtime counts runs (monitor/metrics.ts): calls that returned, the `total` phase's count.
      runs: this.histograms.get('total')?.count ?? 0,
      errors: Object.fromEntries(this.errors),
      histograms,
      ...(seen ? { feedback: { count, correct } } : {}),
      // Checked against the schema's causes afterwards, as every other field is.
      ...(this.singleThread === undefined ? {} : { singleThread: this.singleThread as SingleThreadCause }),
    };
  }
}

/** One scope's points, added up into the beacon they make. */
class ScopeBuild {
  readonly #series = new Map<string, SeriesBuild>();
  readonly longFrames = { count: 0, duringInference: 0 };
  readonly dropped = new Map<string, number>();
  accepted = 0;
  /** The latest point's time (ms): the beacon's `sentAt`. */
  latest = 0;

  /** The series a point's attributes name, created on first sight; undefined when they name none. */
  series(attrs: Attributes): SeriesBuild | undefined {
    const model = stringAt(attrs, 'webinfer.model');
    const version = stringAt(attrs, 'webinfer.version');
    const backend = stringAt(attrs, 'webinfer.backend');
    if (model === undefined || version === undefined || backend === undefined) return undefined;
    const key = `${model}\u0000${version}\u0000${backend}`;
    let series = this.#series.get(key);
    if (!series) {
      series = new SeriesBuild(model, version, backend);
      this.#series.set(key, series);
    }
    return series;
  }

  beacon(envelope: Envelope, now: () => number): Beacon {
    return {
      ...envelope,
      sentAt: this.latest > 0 ? this.latest : now(),
      metrics: [...this.#series.values()].filter((series) => !series.empty).map((series) => series.delta()),
      anomalies: [],
      vitals: [],
      longFrames: { ...this.longFrames, blockingMs: 0, blockingMsDuringInference: 0 },
      dropped: {
        batches: this.dropped.get('batches') ?? 0,
        anomalies: this.dropped.get('anomalies') ?? 0,
        rejected: this.dropped.get('rejected') ?? 0,
      },
    };
  }
}
