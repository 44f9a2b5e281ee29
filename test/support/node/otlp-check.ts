import generated from '@opentelemetry/otlp-transformer/build/src/generated/root.js';

/**
 * Checks a body against the OTLP protobuf definitions as OpenTelemetry's own JS packages compile
 * them (@opentelemetry/otlp-transformer's generated protobuf.js root): the JSON is decoded into
 * an `Export…ServiceRequest` message, encoded to protobuf bytes, decoded again and turned back
 * into JSON the OTLP/JSON way (64-bit integers as strings, enums as numbers). A misspelt field
 * vanishes on the way and a wrong type is changed or fails; either way the result differs from
 * the input. (protobuf.js's `verify` is not used: it wants 64-bit integers as numbers, where
 * OTLP/JSON writes strings.)
 * Returns what is wrong, or undefined.
 */
/** The part of protobuf.js's message classes used here (its typings describe the root as a plain Root). */
interface MessageType {
  fromObject(json: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: object): unknown;
}
type Service<K extends string> = { v1: Record<K, MessageType> };
const { collector } = (
  generated as unknown as {
    opentelemetry: {
      proto: {
        collector: { metrics: Service<'ExportMetricsServiceRequest'>; logs: Service<'ExportLogsServiceRequest'> };
      };
    };
  }
).opentelemetry.proto;
const requests = {
  metrics: collector.metrics.v1.ExportMetricsServiceRequest,
  logs: collector.logs.v1.ExportLogsServiceRequest,
} as const;

export function checkOtlp(kind: keyof typeof requests, json: unknown): string | undefined {
  const type = requests[kind];
  try {
    const bytes = type.encode(type.fromObject(json)).finish();
    const back = type.toObject(type.decode(bytes), { longs: String, enums: Number, bytes: String });
    if (JSON.stringify(normalize(back)) !== JSON.stringify(normalize(json))) {
      return `${kind}: fields lost or changed in a protobuf round trip:\n${JSON.stringify(json)}\n${JSON.stringify(back)}`;
    }
    return undefined;
  } catch (error) {
    return `${kind}: ${(error as Error).message}`;
  }
}

/** Plain JSON with keys sorted, so that only content is compared. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
}
