import { createHash } from 'node:crypto';
import { type Beacon, beaconFormat } from '../telemetry/beacon.js';
import type { OtlpKeyValue } from './otlp-schema.js';

/** An attribute's value, as the schema lets through (scalars only). */
export type AttributeValue = string | number | boolean;
/** Attributes by key: a Map, so that no key (`__proto__` included) reaches an object's prototype. */
export type Attributes = ReadonlyMap<string, AttributeValue>;

/** The OTLP endpoint a body came to: part of its batch id, so a beacon's metrics and logs are two batches. */
export type Signal = 'metrics' | 'logs';

export function attributesOf(list: readonly OtlpKeyValue[] | undefined): Attributes {
  const map = new Map<string, AttributeValue>();
  for (const { key, value } of list ?? []) {
    const scalar = value.stringValue ?? value.boolValue ?? value.intValue ?? value.doubleValue;
    if (scalar !== undefined) map.set(key, scalar);
  }
  return map;
}

export const stringAt = (attrs: Attributes, key: string) => {
  const value = attrs.get(key);
  return typeof value === 'string' ? value : undefined;
};
export const numberAt = (attrs: Attributes, key: string) => {
  const value = attrs.get(key);
  return typeof value === 'number' ? value : undefined;
};
export const booleanAt = (attrs: Attributes, key: string) => {
  const value = attrs.get(key);
  return typeof value === 'boolean' ? value : undefined;
};

/** A beacon made of one OTLP scope, and where that scope was in the body (for a 422's `field`). */
export interface LocatedBeacon {
  readonly beacon: Beacon;
  readonly at: string;
}

/** What decoding needs besides the body: its digest, when a batch id must come from it, and the collector's clock. */
export interface DecodeContext {
  readonly bodyDigest: () => string;
  readonly now: () => number;
}

/** What a beacon made of one OTLP scope carries besides its data. */
export type Envelope = Pick<Beacon, 'format' | 'batchId' | 'sessionId' | 'seq' | 'sampleRate' | 'client'>;

/** The session of a resource without `session.id`: the nil UUID, "not known". */
const noSession = '00000000-0000-0000-0000-000000000000';
const uuidShaped = /^[0-9a-f-]{36}$/;

/**
 * The batch fields of the beacon made from one scope (`resource` and `scope` its attributes,
 * as webinfer's `telemetry/otlp.ts` writes them):
 * - `batchId`: a UUID derived from the endpoint and the scope's `webinfer.batch_id` (so a batch's
 *   metrics body and logs body are two batches, and each is stored once however often it
 *   comes); without one, from the endpoint, a SHA-256 of the raw body (`bodyDigest`) and the
 *   scope's place in it (`at`): the same body sent again is the same batch.
 * - `sessionId`: `session.id` when a UUID, else a UUID derived from it; without one, the nil UUID.
 * - `seq`: `webinfer.seq`, else 1. `sampleRate`: `webinfer.sample_rate`, else 1.
 * - `client`: `webinfer@<telemetry.sdk.version>` from webinfer's runtime, else `<sdk name>@<version>`.
 */
export function envelopeOf(
  resource: Attributes,
  scope: Attributes,
  { signal, at, bodyDigest }: { signal: Signal; at: string; bodyDigest: () => string },
): Envelope {
  const batch = stringAt(scope, 'webinfer.batch_id');
  const session = stringAt(resource, 'session.id');
  const sdk = stringAt(resource, 'telemetry.sdk.name') ?? 'otlp';
  const version = stringAt(resource, 'telemetry.sdk.version');
  return {
    format: beaconFormat,
    batchId: uuidFrom(batch !== undefined ? `${signal}\0batch\0${batch}` : `${signal}\0body\0${bodyDigest()}\0${at}`),
    sessionId: session === undefined ? noSession : uuidShaped.test(session) ? session : uuidFrom(`session\0${session}`),
    seq: numberAt(scope, 'webinfer.seq') ?? 1,
    sampleRate: numberAt(resource, 'webinfer.sample_rate') ?? 1,
    client: version === undefined ? sdk : `${sdk}@${version}`,
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A UUID (version 8, RFC 9562's custom layout) from the SHA-256 of `text`: the same text, the same id. */
export function uuidFrom(text: string): string {
  const hex = sha256(text).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
