import * as v from 'valibot';
import type { SchemaProblem } from './beacon-schema.js';

/**
 * The collector's check of OTLP/HTTP JSON bodies (opentelemetry-proto v1,
 * `ExportMetricsServiceRequest` and `ExportLogsServiceRequest`): only the fields the protocol
 * defines, every string and list bounded, attribute values scalar (string, bool, int, double).
 *
 * Closed on purpose: the OTLP spec asks receivers to ignore unknown fields
 * (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding), but this collector stores
 * only what it has read, and refuses (422) what it has not, as `POST /collect` does. There is no
 * record (map) anywhere in it, so no key of the body becomes a key of an object: a `constructor`
 * or `prototype` key is an unknown field like any other (the JSON parser refuses `__proto__`).
 *
 * As OTLP/JSON writes them: 64-bit integers are decimal strings (numbers are taken too), enums
 * are integers, trace and span ids are hex (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding).
 * Integers come out as numbers, and must be safe integers; times come out in epoch ms.
 */
export const otlpLimits = {
  resources: 16,
  scopes: 16,
  metrics: 64,
  dataPoints: 512,
  logRecords: 512,
  attributes: 64,
  /** Attribute keys and values, names, units, descriptions. */
  string: 256,
  /** A log record's body: the runtime's anomaly line quotes a tensor, a model and a version (128 each). */
  body: 1024,
  /** Histogram bounds (the runtime's are 86); bucket counts are one more. */
  bounds: 160,
  exemplars: 16,
  quantiles: 32,
} as const;

const text = (max: number = otlpLimits.string) => v.pipe(v.string(), v.maxLength(max));

/** An integer in [min, max], as a decimal string or a JSON number (proto3 JSON takes both). */
const integer = (min: number, max: number) =>
  v.pipe(
    v.union([v.pipe(v.string(), v.regex(/^-?\d{1,20}$/, 'a decimal integer')), v.number()]),
    v.transform(Number),
    v.safeInteger(),
    v.minValue(min),
    v.maxValue(max),
  );
const uint64 = integer(0, Number.MAX_SAFE_INTEGER);
const int64 = integer(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
const uint32 = integer(0, 2 ** 32 - 1);
const int32 = integer(-(2 ** 31), 2 ** 31 - 1);
const double = v.pipe(v.number(), v.finite());
/** fixed64 nanoseconds since the epoch, as epoch ms (exact for strings, which exceed 2^53). */
const nanos = v.pipe(
  v.union([v.pipe(v.string(), v.regex(/^\d{1,20}$/, 'decimal nanoseconds')), v.pipe(v.number(), v.safeInteger(), v.minValue(0))]),
  v.transform((ns) => (typeof ns === 'string' ? Number(BigInt(ns) / 1_000_000n) : Math.floor(ns / 1e6))),
);
const enumOf = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
const hex = (bytes: number) => v.pipe(v.string(), v.regex(new RegExp(`^([0-9a-fA-F]{${2 * bytes}})?$`), `${bytes} bytes in hex`));

/** AnyValue, scalars only: `arrayValue`, `kvlistValue` and `bytesValue` are refused as unknown fields. */
const anyValue = (max: number) =>
  v.pipe(
    v.strictObject({
      stringValue: v.optional(text(max)),
      boolValue: v.optional(v.boolean()),
      intValue: v.optional(int64),
      doubleValue: v.optional(double),
    }),
    v.check((value) => Object.keys(value).length === 1, 'exactly one of stringValue, boolValue, intValue, doubleValue'),
  );

const keyValue = v.strictObject({ key: v.pipe(text(), v.minLength(1)), value: anyValue(otlpLimits.string) });

/** A KeyValue list with unique keys, as the OTLP data model requires of attributes. */
const attributes = v.pipe(
  v.array(keyValue),
  v.maxLength(otlpLimits.attributes),
  v.check((list) => new Set(list.map(({ key }) => key)).size === list.length, 'attributes with unique keys'),
);

const resource = v.strictObject({ attributes: v.optional(attributes), droppedAttributesCount: v.optional(uint32) });
const scope = v.strictObject({
  name: v.optional(text()),
  version: v.optional(text()),
  attributes: v.optional(attributes),
  droppedAttributesCount: v.optional(uint32),
});

const exemplars = v.pipe(
  v.array(
    v.strictObject({
      filteredAttributes: v.optional(attributes),
      timeUnixNano: v.optional(nanos),
      asDouble: v.optional(double),
      asInt: v.optional(int64),
      spanId: v.optional(hex(8)),
      traceId: v.optional(hex(16)),
    }),
  ),
  v.maxLength(otlpLimits.exemplars),
);

/** What every data point has: its attributes, its window, exemplars and flags. */
const pointBase = {
  attributes: v.optional(attributes),
  startTimeUnixNano: v.optional(nanos),
  timeUnixNano: v.optional(nanos),
  exemplars: v.optional(exemplars),
  flags: v.optional(uint32),
};
const points = <S extends v.GenericSchema>(point: S) => v.pipe(v.array(point), v.maxLength(otlpLimits.dataPoints));

const numberPoint = v.strictObject({ ...pointBase, asDouble: v.optional(double), asInt: v.optional(int64) });

const histogramPoint = v.pipe(
  v.strictObject({
    ...pointBase,
    count: v.optional(uint64),
    sum: v.optional(double),
    bucketCounts: v.optional(v.pipe(v.array(uint64), v.maxLength(otlpLimits.bounds + 1))),
    explicitBounds: v.optional(v.pipe(v.array(double), v.maxLength(otlpLimits.bounds))),
    min: v.optional(double),
    max: v.optional(double),
  }),
  // opentelemetry-proto metrics.proto, HistogramDataPoint: bucket_counts has one more element
  // than explicit_bounds, or none; the bounds increase.
  v.check(
    ({ bucketCounts = [], explicitBounds = [] }) =>
      bucketCounts.length === 0 || bucketCounts.length === explicitBounds.length + 1,
    'bucketCounts one longer than explicitBounds, or empty',
  ),
  v.check(
    ({ explicitBounds = [] }) => explicitBounds.every((bound, i) => i === 0 || bound > (explicitBounds[i - 1] as number)),
    'explicitBounds in increasing order',
  ),
);

const exponentialBuckets = v.strictObject({
  offset: v.optional(int32),
  bucketCounts: v.optional(v.pipe(v.array(uint64), v.maxLength(otlpLimits.bounds))),
});
const exponentialHistogramPoint = v.strictObject({
  ...pointBase,
  count: v.optional(uint64),
  sum: v.optional(double),
  scale: v.optional(int32),
  zeroCount: v.optional(uint64),
  positive: v.optional(exponentialBuckets),
  negative: v.optional(exponentialBuckets),
  min: v.optional(double),
  max: v.optional(double),
  zeroThreshold: v.optional(double),
});

const summaryPoint = v.strictObject({
  attributes: v.optional(attributes),
  startTimeUnixNano: v.optional(nanos),
  timeUnixNano: v.optional(nanos),
  count: v.optional(uint64),
  sum: v.optional(double),
  quantileValues: v.optional(
    v.pipe(
      v.array(v.strictObject({ quantile: v.optional(double), value: v.optional(double) })),
      v.maxLength(otlpLimits.quantiles),
    ),
  ),
  flags: v.optional(uint32),
});

/** AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
const temporality = enumOf(2);
const metricKinds = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

const metric = v.pipe(
  v.strictObject({
    name: v.pipe(text(), v.minLength(1)),
    description: v.optional(text()),
    unit: v.optional(text()),
    metadata: v.optional(attributes),
    gauge: v.optional(v.strictObject({ dataPoints: v.optional(points(numberPoint)) })),
    sum: v.optional(
      v.strictObject({
        dataPoints: v.optional(points(numberPoint)),
        aggregationTemporality: v.optional(temporality),
        isMonotonic: v.optional(v.boolean()),
      }),
    ),
    histogram: v.optional(
      v.strictObject({ dataPoints: v.optional(points(histogramPoint)), aggregationTemporality: v.optional(temporality) }),
    ),
    exponentialHistogram: v.optional(
      v.strictObject({
        dataPoints: v.optional(points(exponentialHistogramPoint)),
        aggregationTemporality: v.optional(temporality),
      }),
    ),
    summary: v.optional(v.strictObject({ dataPoints: v.optional(points(summaryPoint)) })),
  }),
  v.check((m) => metricKinds.filter((kind) => m[kind] !== undefined).length === 1, `exactly one of ${metricKinds.join(', ')}`),
);

const schemaUrl = v.optional(text());

/** `POST /v1/metrics`: ExportMetricsServiceRequest. */
export const metricsRequestSchema = v.strictObject({
  resourceMetrics: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          resource: v.optional(resource),
          scopeMetrics: v.optional(
            v.pipe(
              v.array(
                v.strictObject({
                  scope: v.optional(scope),
                  metrics: v.optional(v.pipe(v.array(metric), v.maxLength(otlpLimits.metrics))),
                  schemaUrl,
                }),
              ),
              v.maxLength(otlpLimits.scopes),
            ),
          ),
          schemaUrl,
        }),
      ),
      v.maxLength(otlpLimits.resources),
    ),
  ),
});

/** SeverityNumber: 0 unspecified, 1–24 TRACE to FATAL4. */
const logRecord = v.strictObject({
  timeUnixNano: v.optional(nanos),
  observedTimeUnixNano: v.optional(nanos),
  severityNumber: v.optional(enumOf(24)),
  severityText: v.optional(text()),
  body: v.optional(anyValue(otlpLimits.body)),
  attributes: v.optional(attributes),
  droppedAttributesCount: v.optional(uint32),
  flags: v.optional(uint32),
  traceId: v.optional(hex(16)),
  spanId: v.optional(hex(8)),
  eventName: v.optional(text()),
});

/** `POST /v1/logs`: ExportLogsServiceRequest. */
export const logsRequestSchema = v.strictObject({
  resourceLogs: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          resource: v.optional(resource),
          scopeLogs: v.optional(
            v.pipe(
              v.array(
                v.strictObject({
                  scope: v.optional(scope),
                  logRecords: v.optional(v.pipe(v.array(logRecord), v.maxLength(otlpLimits.logRecords))),
                  schemaUrl,
                }),
              ),
              v.maxLength(otlpLimits.scopes),
            ),
          ),
          schemaUrl,
        }),
      ),
      v.maxLength(otlpLimits.resources),
    ),
  ),
});

export type MetricsRequest = v.InferOutput<typeof metricsRequestSchema>;
export type LogsRequest = v.InferOutput<typeof logsRequestSchema>;
export type OtlpMetric = v.InferOutput<typeof metric>;
export type OtlpHistogramPoint = v.InferOutput<typeof histogramPoint>;
export type OtlpNumberPoint = v.InferOutput<typeof numberPoint>;
export type OtlpLogRecord = v.InferOutput<typeof logRecord>;
export type OtlpKeyValue = v.InferOutput<typeof keyValue>;

/** Checks a parsed OTLP body against `schema`: its value (integers as numbers, times in ms), or the first problem. */
export function checkOtlp<S extends typeof metricsRequestSchema | typeof logsRequestSchema>(
  json: unknown,
  schema: S,
): { value: v.InferOutput<S> } | { problem: SchemaProblem } {
  const result = v.safeParse(schema, json, { abortEarly: true });
  if (result.success) return { value: result.output };
  const [issue] = result.issues;
  return {
    problem: { field: v.getDotPath(issue) ?? '(root)', expected: issue.expected ?? issue.message, received: issue.received },
  };
}
