import type { RollbackEvent, UpdateEvent } from '../runtime/update-types.js';
import type { AnomalyEvent } from '../types.js';
import {
  type AnomalyRecord,
  type Beacon,
  beaconFormat,
  beaconLimits,
  type DroppedCounts,
  type LongFrames,
  type MetricsDelta,
  maxBeaconBytes,
  type TransitionRecord,
  type VitalRecord,
} from './beacon.js';

/** What one flush has to send, before it is cut into beacons. */
export interface BatchContent {
  readonly metrics: readonly MetricsDelta[];
  readonly anomalies: readonly AnomalyRecord[];
  readonly vitals: readonly VitalRecord[];
  readonly transitions?: readonly TransitionRecord[];
  readonly longFrames: LongFrames;
  readonly dropped: DroppedCounts;
}

/** What every beacon of a session carries beside its content. */
export interface BatchHeader {
  readonly sessionId: string;
  readonly sampleRate: number;
  readonly client: string;
  /** The next sequence number of the session. */
  nextSeq(): number;
  readonly now: () => number;
}

const encoder = new TextEncoder();
const bytesOf = (value: unknown) => encoder.encode(JSON.stringify(value)).length;

/**
 * Cuts `content` into beacons whose JSON stays under `maxBytes` (RELIABILITY.md 30): metrics
 * entries, anomalies and vitals are packed in order, each whole, into as few beacons as fit;
 * long frames and dropped counts ride in the first. Nothing is made when there is nothing to say.
 */
export function makeBeacons(content: BatchContent, header: BatchHeader, maxBytes = maxBeaconBytes): Beacon[] {
  const items = [
    ...content.metrics.map((item) => ({ list: 'metrics' as const, item })),
    ...content.anomalies.map((item) => ({ list: 'anomalies' as const, item })),
    ...content.vitals.map((item) => ({ list: 'vitals' as const, item })),
    ...(content.transitions ?? []).map((item) => ({ list: 'transitions' as const, item })),
  ];
  const extras = content.longFrames.count > 0 || Object.values(content.dropped).some((n) => n > 0);
  if (items.length === 0 && !extras) return [];
  const beacons: Beacon[] = [];
  let current = emptyBeacon(header, content.longFrames, content.dropped);
  let size = bytesOf(current);
  for (const { list, item } of items) {
    // One more element costs its JSON and a comma.
    const cost = bytesOf(item) + 1;
    if (size + cost > maxBytes && hasItems(current)) {
      beacons.push(current);
      current = emptyBeacon(header, noLongFrames, noneDropped);
      size = bytesOf(current);
    }
    // Bounded fields keep any one item far below the budget, so an item always fits alone.
    // Transitions are rare: the field appears only in a beacon that has some (its name counted).
    if (current[list] === undefined) {
      current[list] = [];
      size += bytesOf({ [list]: [] }) - 1;
    }
    (current[list] as unknown[]).push(item);
    size += cost;
  }
  beacons.push(current);
  return beacons;
}

export const noLongFrames: LongFrames = { count: 0, duringInference: 0, blockingMs: 0, blockingMsDuringInference: 0 };
export const noneDropped: DroppedCounts = { batches: 0, anomalies: 0, rejected: 0 };

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer E)[] | undefined ? E[] | Extract<T[K], undefined> : T[K];
};

function emptyBeacon(header: BatchHeader, longFrames: LongFrames, dropped: DroppedCounts): Mutable<Beacon> {
  return {
    format: beaconFormat,
    batchId: crypto.randomUUID(),
    sessionId: header.sessionId,
    seq: header.nextSeq(),
    sentAt: header.now(),
    sampleRate: header.sampleRate,
    client: header.client,
    metrics: [],
    anomalies: [],
    vitals: [],
    longFrames,
    dropped,
  };
}

const hasItems = (beacon: Beacon) =>
  beacon.metrics.length + beacon.anomalies.length + beacon.vitals.length + (beacon.transitions?.length ?? 0) > 0;

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/** A figure as JSON can carry it: strings clipped, NaN and infinities spelled out. */
const detail = (value: number | string) =>
  typeof value === 'string' ? clip(value, beaconLimits.detail) : Number.isFinite(value) ? value : String(value);

/** An `update` or `rollback` event as a beacon carries it. */
export function transitionRecord(kind: 'update', event: UpdateEvent): TransitionRecord;
export function transitionRecord(kind: 'rollback', event: RollbackEvent): TransitionRecord;
export function transitionRecord(kind: 'update' | 'rollback', event: UpdateEvent | RollbackEvent): TransitionRecord {
  const versions = {
    model: clip(event.id, beaconLimits.name),
    from: clip(event.from, beaconLimits.name),
    to: clip(event.to, beaconLimits.name),
  };
  if ('trigger' in event) {
    return {
      ...versions,
      kind,
      reason: event.trigger,
      at: Date.now(),
      inFlight: event.inFlight,
      preparedMs: Math.round(event.preparedMs),
    };
  }
  return { ...versions, kind, reason: event.reason, at: Date.now() };
}

/**
 * An `anomaly` event as a beacon carries it: bounded strings, at most `beaconLimits.detailKeys`
 * figures, and without what the detector saw in the data (`details.value`, the message).
 */
export function anomalyRecord(event: AnomalyEvent): AnomalyRecord {
  const details = Object.entries(event.details)
    .filter(([key]) => key !== 'value')
    .slice(0, beaconLimits.detailKeys)
    .map(([key, value]) => [clip(key, beaconLimits.name), detail(value)]);
  return {
    model: clip(event.model, beaconLimits.name),
    version: clip(event.version, beaconLimits.name),
    backend: event.backend,
    kind: event.kind,
    tensor: clip(event.tensor, beaconLimits.name),
    where: event.where,
    details: Object.fromEntries(details),
    at: event.at,
    suppressed: event.suppressed,
  };
}
