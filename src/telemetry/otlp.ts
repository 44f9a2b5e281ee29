import { bucketBounds } from '../monitor/histogram.js';
import { loadPhases } from '../monitor/metrics.js';
import type { Beacon, HistogramDelta } from './beacon.js';

/**
 * A beacon in OTLP/HTTP JSON (opentelemetry-proto v1): the latency histograms, error and long
 * frame counts as metrics with delta temporality, anomalies and web-vitals as log records. The
 * bodies go to `<endpoint>/v1/metrics` and `<endpoint>/v1/logs`, where an OpenTelemetry
 * Collector (or webinfer's own) takes them; no logs body when there is nothing to log. 64-bit integers are decimal strings, as OTLP/JSON
 * asks; the batch id and sequence number are the instrumentation scope's attributes.
 */
export function otlpBodies(beacon: Beacon, startedAt: number): { metrics: unknown; logs: unknown | undefined } {
  const resource = {
    attributes: attributes({
      'service.name': 'webinfer',
      'telemetry.sdk.name': 'webinfer',
      'telemetry.sdk.language': 'webjs',
      'telemetry.sdk.version': beacon.client.replace(/^webinfer@/, ''),
      'session.id': beacon.sessionId,
      'webinfer.sample_rate': beacon.sampleRate,
    }),
  };
  const scope = {
    name: 'webinfer',
    version: beacon.client.replace(/^webinfer@/, ''),
    attributes: attributes({ 'webinfer.batch_id': beacon.batchId, 'webinfer.seq': beacon.seq }),
  };
  const times = { startTimeUnixNano: nanos(startedAt), timeUnixNano: nanos(beacon.sentAt) };
  const logRecords = logsOf(beacon);
  return {
    metrics: { resourceMetrics: [{ resource, scopeMetrics: [{ scope, metrics: metricsOf(beacon, times) }] }] },
    logs: logRecords.length > 0 ? { resourceLogs: [{ resource, scopeLogs: [{ scope, logRecords }] }] } : undefined,
  };
}

const deltaTemporality = 1;
const severity = { info: 9, warn: 13 } as const;

type Times = { startTimeUnixNano: string; timeUnixNano: string };

function metricsOf(beacon: Beacon, times: Times): unknown[] {
  const runPoints: unknown[] = [];
  const loadPoints: unknown[] = [];
  const errorPoints: unknown[] = [];
  const absoluteErrorPoints: unknown[] = [];
  const judgedPoints: unknown[] = [];
  for (const m of beacon.metrics) {
    const labels = { 'webinfer.model': m.model, 'webinfer.version': m.version, 'webinfer.backend': m.backend };
    for (const [name, delta] of Object.entries(m.histograms)) {
      if (name === 'absoluteError') {
        absoluteErrorPoints.push(histogramPoint(delta, attributes(labels), times));
        continue;
      }
      const load = (loadPhases as readonly string[]).includes(name);
      // Why the series' session runs on one thread rides on its load points: loads counted by it.
      const why = load && m.singleThread ? { 'webinfer.single_thread': m.singleThread } : {};
      const point = histogramPoint(delta, attributes({ ...labels, 'webinfer.phase': name, ...why }), times);
      (load ? loadPoints : runPoints).push(point);
    }
    for (const [code, n] of Object.entries(m.errors)) {
      errorPoints.push({ ...times, asInt: String(n), attributes: attributes({ ...labels, 'error.code': code }) });
    }
    if (m.feedback) {
      const { count, correct } = m.feedback;
      for (const [right, n] of [[true, correct] as const, [false, count - correct] as const]) {
        judgedPoints.push({ ...times, asInt: String(n), attributes: attributes({ ...labels, 'webinfer.correct': right }) });
      }
    }
  }
  const { longFrames, dropped } = beacon;
  const metrics = [
    histogramMetric('webinfer.run.duration', 'Time of each model call, by phase', runPoints),
    histogramMetric('webinfer.load.duration', 'Time of each model load, by phase', loadPoints),
    sumMetric('webinfer.run.errors', 'Model calls that failed, by error code', errorPoints),
    sumMetric('webinfer.feedback.judged', 'Classifier rows judged by feedback, right or wrong', judgedPoints),
    histogramMetric(
      'webinfer.feedback.absolute_error',
      'Absolute errors of regressions judged by feedback',
      absoluteErrorPoints,
      '1',
    ),
    sumMetric('webinfer.long_frames', 'Long animation frames on the page, and those during model calls', [
      {
        ...times,
        asInt: String(longFrames.count - longFrames.duringInference),
        attributes: attributes({ 'webinfer.during_inference': false }),
      },
      { ...times, asInt: String(longFrames.duringInference), attributes: attributes({ 'webinfer.during_inference': true }) },
    ]),
    sumMetric(
      'webinfer.telemetry.dropped',
      'Telemetry the client dropped, by reason',
      Object.entries(dropped).map(([reason, n]) => ({ ...times, asInt: String(n), attributes: attributes({ reason }) })),
    ),
  ];
  return metrics.filter((metric) => metric !== undefined);
}

/**
 * A histogram point with only the bounds around its counts: bucket `i` of the runtime's is
 * `(bucketBounds[i - 1], bucketBounds[i]]`, so the bounds from the one below the lowest counted
 * bucket to the highest counted bucket's keep every count in its own bucket, exactly. All 86
 * bounds on every point would make a beacon of a few models 30 times larger, past the 64 KiB a
 * keepalive request may carry.
 */
function histogramPoint(delta: HistogramDelta, attrs: unknown[], times: Times) {
  const counted = delta.buckets.filter(([, n]) => n > 0).map(([i]) => i);
  const lowest = Math.max(0, Math.min(...counted, bucketBounds.length) - 1);
  const highest = Math.min(Math.max(...counted, 0), bucketBounds.length - 1);
  const explicitBounds = bucketBounds.slice(lowest, highest + 1);
  // Count k is (explicitBounds[k - 1], explicitBounds[k]]: the runtime's bucket lowest + k, and
  // the last one everything above, the runtime's overflow bucket among them.
  const counts = new Array<number>(explicitBounds.length + 1).fill(0);
  for (const [i, n] of delta.buckets) {
    const k = Math.min(Math.max(i - lowest, 0), explicitBounds.length);
    counts[k] = (counts[k] as number) + n;
  }
  return {
    ...times,
    attributes: attrs,
    count: String(delta.count),
    sum: delta.sum,
    bucketCounts: counts.map(String),
    explicitBounds,
  };
}

function histogramMetric(name: string, description: string, dataPoints: unknown[], unit = 's') {
  if (dataPoints.length === 0) return undefined;
  return { name, description, unit, histogram: { aggregationTemporality: deltaTemporality, dataPoints } };
}

function sumMetric(name: string, description: string, dataPoints: unknown[]) {
  if (dataPoints.length === 0) return undefined;
  return { name, description, unit: '1', sum: { aggregationTemporality: deltaTemporality, isMonotonic: true, dataPoints } };
}

function logsOf(beacon: Beacon): unknown[] {
  const anomalies = beacon.anomalies.map((a) => ({
    timeUnixNano: nanos(a.at),
    observedTimeUnixNano: nanos(a.at),
    severityNumber: severity.warn,
    severityText: 'WARN',
    body: { stringValue: `${a.kind} in ${a.where} "${a.tensor}" of ${a.model}@${a.version}` },
    attributes: attributes({
      'event.name': 'webinfer.anomaly',
      'webinfer.model': a.model,
      'webinfer.version': a.version,
      'webinfer.backend': a.backend,
      'webinfer.anomaly.kind': a.kind,
      'webinfer.anomaly.tensor': a.tensor,
      'webinfer.anomaly.where': a.where,
      'webinfer.anomaly.suppressed': a.suppressed,
      ...Object.fromEntries(Object.entries(a.details).map(([key, value]) => [`webinfer.anomaly.${key}`, value])),
    }),
  }));
  const vitals = beacon.vitals.map((v) => ({
    timeUnixNano: nanos(beacon.sentAt),
    observedTimeUnixNano: nanos(beacon.sentAt),
    severityNumber: severity.info,
    severityText: 'INFO',
    body: { stringValue: v.name },
    attributes: attributes({
      'event.name': 'webinfer.web_vital',
      'web_vital.name': v.name,
      'web_vital.value': v.value,
      'web_vital.rating': v.rating,
      'web_vital.id': v.id,
      'web_vital.navigation_type': v.navigationType,
    }),
  }));
  const transitions = (beacon.transitions ?? []).map((t) => ({
    timeUnixNano: nanos(t.at),
    observedTimeUnixNano: nanos(t.at),
    severityNumber: t.kind === 'rollback' ? severity.warn : severity.info,
    severityText: t.kind === 'rollback' ? 'WARN' : 'INFO',
    body: { stringValue: `${t.kind} of ${t.model}: ${t.from} to ${t.to} (${t.reason})` },
    attributes: attributes({
      'event.name': 'webinfer.model_transition',
      'webinfer.model': t.model,
      'webinfer.transition.kind': t.kind,
      'webinfer.transition.from': t.from,
      'webinfer.transition.to': t.to,
      'webinfer.transition.reason': t.reason,
      ...(t.inFlight === undefined ? {} : { 'webinfer.transition.in_flight': t.inFlight }),
      ...(t.preparedMs === undefined ? {} : { 'webinfer.transition.prepared_ms': t.preparedMs }),
    }),
  }));
  return [...anomalies, ...vitals, ...transitions];
}

/** OTLP's KeyValue list: strings, booleans, integers (as strings) and doubles. */
function attributes(values: Record<string, string | number | boolean>): unknown[] {
  return Object.entries(values).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function anyValue(value: string | number | boolean) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

/** Epoch ms as OTLP's nanoseconds, a decimal string (beyond 2^53: no float on the way). */
function nanos(ms: number): string {
  return `${Math.round(ms)}000000`;
}
