import * as v from 'valibot';
import { loadPhases, runPhases } from '../monitor/metrics.js';
import { type Beacon, beaconFormat, beaconLimits } from '../telemetry/beacon.js';
import type { AnomalyKind, SingleThreadCause } from '../types.js';

/**
 * The collector's check of a beacon (`webinfer/beacon@1`, see `telemetry/beacon.ts`): a closed
 * schema (an unknown field anywhere is refused), every string and list bounded, every number
 * finite and in range, keys that could reach an object's prototype refused (by `checkBeacon`), and
 * timestamps no further ahead of the collector's clock than `maxClockSkewMs`. What passes is
 * exactly what the client sends and nothing more.
 */
export const maxClockSkewMs = 5 * 60_000;
/** The oldest `sentAt` or anomaly time accepted: a week back (a queue waits at most that long to matter). */
export const maxAgeMs = 7 * 24 * 3_600_000;

const anomalyKinds: readonly AnomalyKind[] = [
  'non-finite',
  'out-of-range',
  'latency',
  'error-rate',
  'canary',
  'drift',
  'confidence-collapse',
  'accuracy-drop',
];
const histogramNames = [...runPhases, ...loadPhases, 'absoluteError'] as const;
/** `MetricsDelta.singleThread`: why a session runs on one wasm thread. */
const singleThreadCauses: readonly SingleThreadCause[] = ['not-isolated', 'webgpu'];
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const name = text(beaconLimits.name);
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
// Keys that reach a prototype never get here: `checkBeacon` refuses them first (a record would drop them).
const boundedRecord = <S extends v.GenericSchema>(keyMax: number, value: S, maxKeys: number) =>
  v.pipe(
    v.record(text(keyMax), value),
    v.check((record) => Object.keys(record).length <= maxKeys, `at most ${maxKeys} keys`),
  );

const histogramDelta = v.strictObject({
  buckets: v.pipe(
    v.array(v.strictTuple([v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86)), count])),
    v.maxLength(87),
  ),
  count,
  sum: v.pipe(v.number(), v.finite(), v.minValue(0)),
});

const metricsDelta = v.strictObject({
  model: name,
  version: name,
  backend: name,
  runs: count,
  errors: boundedRecord(64, count, 32),
  histograms: v.pipe(
    v.record(v.picklist(histogramNames), histogramDelta),
    v.check((record) => Object.keys(record).length <= histogramNames.length, 'one histogram per phase'),
  ),
  feedback: v.optional(v.strictObject({ count, correct: count })),
  singleThread: v.optional(v.picklist(singleThreadCauses)),
});

function timestamp(now: () => number) {
  return v.pipe(
    v.number(),
    v.safeInteger(),
    v.check((t) => t <= now() + maxClockSkewMs, 'a time not in the future (5 min of clock skew allowed)'),
    v.check((t) => t >= now() - maxAgeMs, 'a time within the last 7 days'),
  );
}

/** What found an update, or why a version was given up (`TransitionRecord.reason`). */
export const transitionReasons = [
  'load',
  'interval',
  'visible',
  'manual',
  'pin',
  'canary-failed',
  'load-failed',
  'errors',
  'anomalies',
] as const;

/** The beacon schema, with timestamps judged against `now` (the collector's clock). */
export function beaconSchema(now: () => number = Date.now) {
  const anomaly = v.strictObject({
    model: name,
    version: name,
    backend: name,
    kind: v.picklist(anomalyKinds),
    tensor: name,
    where: v.picklist(['input', 'output']),
    details: boundedRecord(
      beaconLimits.name,
      v.union([v.pipe(v.number(), v.finite()), v.pipe(v.string(), v.maxLength(beaconLimits.detail))]),
      beaconLimits.detailKeys,
    ),
    at: timestamp(now),
    suppressed: count,
  });
  const vital = v.strictObject({
    name: v.picklist(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']),
    value: v.pipe(v.number(), v.finite(), v.minValue(0)),
    rating: v.picklist(['good', 'needs-improvement', 'poor']),
    id: text(64),
    navigationType: text(32),
  });
  const transition = v.strictObject({
    model: name,
    kind: v.picklist(['update', 'rollback']),
    from: name,
    to: name,
    reason: v.picklist(transitionReasons),
    at: timestamp(now),
    inFlight: v.optional(count),
    preparedMs: v.optional(count),
  });
  return v.strictObject({
    format: v.literal(beaconFormat),
    batchId: v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/, 'a UUID')),
    sessionId: v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/, 'a UUID')),
    seq: v.pipe(count, v.minValue(1)),
    sentAt: timestamp(now),
    sampleRate: v.pipe(v.number(), v.gtValue(0), v.maxValue(1)),
    client: text(64),
    metrics: v.pipe(v.array(metricsDelta), v.maxLength(beaconLimits.metrics)),
    anomalies: v.pipe(v.array(anomaly), v.maxLength(beaconLimits.anomalies)),
    vitals: v.pipe(v.array(vital), v.maxLength(beaconLimits.vitals)),
    transitions: v.optional(v.pipe(v.array(transition), v.maxLength(beaconLimits.transitions))),
    longFrames: v.strictObject({
      count,
      duringInference: count,
      blockingMs: v.pipe(v.number(), v.finite(), v.minValue(0)),
      blockingMsDuringInference: v.pipe(v.number(), v.finite(), v.minValue(0)),
    }),
    dropped: v.strictObject({ batches: count, anomalies: count, rejected: count }),
  });
}

/** One reason a beacon was refused: the field (dot path) and what it must be. */
export interface SchemaProblem {
  readonly field: string;
  readonly expected: string;
  readonly received: string;
}

/**
 * Checks `json` (parsed already); the beacon, or the first problem found. Keys that could reach
 * an object's prototype are refused wherever they are (valibot's records would drop them
 * silently, storing less than was acknowledged).
 */
export function checkBeacon(
  json: unknown,
  schema: ReturnType<typeof beaconSchema>,
): { beacon: Beacon } | { problem: SchemaProblem } {
  const poisoned = forbiddenKeyPath(json);
  if (poisoned)
    return {
      problem: { field: poisoned, expected: 'a key other than __proto__, constructor or prototype', received: 'such a key' },
    };
  const result = v.safeParse(schema, json, { abortEarly: true });
  if (result.success) return { beacon: result.output as Beacon };
  const [issue] = result.issues;
  return {
    problem: {
      field: v.getDotPath(issue) ?? '(root)',
      expected: issue.expected ?? issue.message,
      received: issue.received,
    },
  };
}

/** The dot path of the first own key named `__proto__`, `constructor` or `prototype`, if any. */
function forbiddenKeyPath(value: unknown, path = ''): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (forbiddenKeys.has(key)) return at;
    const found = forbiddenKeyPath((value as Record<string, unknown>)[key], at);
    if (found) return found;
  }
  return undefined;
}
