import type { AnomalyRecord, Beacon, TransitionRecord, VitalRecord } from '../telemetry/beacon.js';
import {
  type Attributes,
  attributesOf,
  type DecodeContext,
  envelopeOf,
  type LocatedBeacon,
  numberAt,
  stringAt,
} from './otlp-envelope.js';
import { Rejections } from './otlp-partial-success.js';
import type { LogsRequest } from './otlp-schema.js';

/**
 * `POST /v1/logs` as beacons: the inverse of webinfer's own encoding (`telemetry/otlp.ts`), one
 * beacon per scope that has any of webinfer's events (the event name is the record's
 * `eventName`, else its `event.name` attribute):
 * - `webinfer.anomaly`: `webinfer.model`, `.version`, `.backend`, `webinfer.anomaly.kind`,
 *   `.tensor`, `.where`, `.suppressed` (else 0); every other `webinfer.anomaly.<key>` attribute is
 *   `details[key]`; `at` is the record's time (else its observed time).
 * - `webinfer.web_vital`: `web_vital.name`, `.value`, `.rating`, `.id`, `.navigation_type`.
 * - `webinfer.model_transition`: `webinfer.model`, `webinfer.transition.kind`, `.from`, `.to`,
 *   `.reason`, and for updates `.in_flight` and `.prepared_ms`.
 *
 * The beacon's `sentAt` is its latest record's time (the runtime stamps web-vitals with it).
 * Records of other events, or without an attribute webinfer needs, are counted in `rejections`
 * and not stored; values are judged by `checkBeacon`, as for `POST /collect`.
 */
export function beaconsFromLogs(
  request: LogsRequest,
  { bodyDigest, now }: DecodeContext,
): { batches: LocatedBeacon[]; rejections: Rejections } {
  const rejections = new Rejections();
  const batches: LocatedBeacon[] = [];
  (request.resourceLogs ?? []).forEach((resourceLogs, r) => {
    const resource = attributesOf(resourceLogs.resource?.attributes);
    (resourceLogs.scopeLogs ?? []).forEach((scopeLogs, s) => {
      const at = `resourceLogs.${r}.scopeLogs.${s}`;
      const anomalies: AnomalyRecord[] = [];
      const vitals: VitalRecord[] = [];
      const transitions: TransitionRecord[] = [];
      let latest = 0;
      for (const record of scopeLogs.logRecords ?? []) {
        const attrs = attributesOf(record.attributes);
        const event = record.eventName || stringAt(attrs, 'event.name');
        const time = record.timeUnixNano || record.observedTimeUnixNano || 0;
        const taken = takeRecord(event, attrs, time || now(), { anomalies, vitals, transitions });
        if (taken !== undefined) {
          rejections.add(taken === null ? `event ${event ?? '(none)'} is not webinfer's` : `${event}: ${taken}`);
          continue;
        }
        latest = Math.max(latest, time);
      }
      if (anomalies.length + vitals.length + transitions.length === 0) return;
      const envelope = envelopeOf(resource, attributesOf(scopeLogs.scope?.attributes), { signal: 'logs', at, bodyDigest });
      const beacon: Beacon = {
        ...envelope,
        sentAt: latest > 0 ? latest : now(),
        metrics: [],
        anomalies,
        vitals,
        ...(transitions.length > 0 ? { transitions } : {}),
        longFrames: { count: 0, duringInference: 0, blockingMs: 0, blockingMsDuringInference: 0 },
        dropped: { batches: 0, anomalies: 0, rejected: 0 },
      };
      batches.push({ beacon, at });
    });
  });
  return { batches, rejections };
}

/** Files a record under its list; null when its event is not webinfer's, else why it was refused, if it was. */
function takeRecord(
  event: string | undefined,
  attrs: Attributes,
  at: number,
  into: { anomalies: AnomalyRecord[]; vitals: VitalRecord[]; transitions: TransitionRecord[] },
): string | null | undefined {
  const taken =
    event === 'webinfer.anomaly'
      ? anomalyOf(attrs, at)
      : event === 'webinfer.web_vital'
        ? vitalOf(attrs)
        : event === 'webinfer.model_transition'
          ? transitionOf(attrs, at)
          : null;
  if (taken === null || typeof taken === 'string') return taken;
  if (event === 'webinfer.anomaly') into.anomalies.push(taken as AnomalyRecord);
  else if (event === 'webinfer.web_vital') into.vitals.push(taken as VitalRecord);
  else into.transitions.push(taken as TransitionRecord);
  return undefined;
}

const anomalyPrefix = 'webinfer.anomaly.';
const anomalyFields = new Set(['kind', 'tensor', 'where', 'suppressed'].map((key) => `${anomalyPrefix}${key}`));

/** An anomaly record from its attributes; else why not. Its picklist fields are judged by `checkBeacon`. */
function anomalyOf(attrs: Attributes, at: number): AnomalyRecord | string {
  const model = stringAt(attrs, 'webinfer.model');
  const version = stringAt(attrs, 'webinfer.version');
  const backend = stringAt(attrs, 'webinfer.backend');
  const kind = stringAt(attrs, `${anomalyPrefix}kind`);
  const tensor = stringAt(attrs, `${anomalyPrefix}tensor`);
  const where = stringAt(attrs, `${anomalyPrefix}where`);
  if (model === undefined || version === undefined || backend === undefined) {
    return 'a record without webinfer.model, webinfer.version and webinfer.backend (strings)';
  }
  if (kind === undefined || tensor === undefined || where === undefined) {
    return 'a record without webinfer.anomaly.kind, .tensor and .where (strings)';
  }
  const details: [string, string | number][] = [];
  for (const [key, value] of attrs) {
    if (!key.startsWith(anomalyPrefix) || anomalyFields.has(key)) continue;
    if (typeof value === 'boolean') return `a record whose ${key} is a boolean (details are numbers or strings)`;
    details.push([key.slice(anomalyPrefix.length), value]);
  }
  return {
    model,
    version,
    backend,
    kind,
    tensor,
    where: where as AnomalyRecord['where'],
    // Object.fromEntries defines own data properties: a `__proto__` detail stays a key, which
    // `checkBeacon` refuses, never a prototype.
    details: Object.fromEntries(details),
    at,
    suppressed: numberAt(attrs, `${anomalyPrefix}suppressed`) ?? 0,
  };
}

/** A web-vitals record from its attributes; else why not. Its picklist fields are judged by `checkBeacon`. */
function vitalOf(attrs: Attributes): VitalRecord | string {
  const name = stringAt(attrs, 'web_vital.name');
  const value = numberAt(attrs, 'web_vital.value');
  const rating = stringAt(attrs, 'web_vital.rating');
  const id = stringAt(attrs, 'web_vital.id');
  const navigationType = stringAt(attrs, 'web_vital.navigation_type');
  if (name === undefined || value === undefined || rating === undefined || id === undefined || navigationType === undefined) {
    return 'a record without web_vital.name, .value, .rating, .id and .navigation_type';
  }
  return { name: name as VitalRecord['name'], value, rating: rating as VitalRecord['rating'], id, navigationType };
}

const transitionPrefix = 'webinfer.transition.';

/** A model transition from its attributes; else why not. Its picklist fields are judged by `checkBeacon`. */
function transitionOf(attrs: Attributes, at: number): TransitionRecord | string {
  const model = stringAt(attrs, 'webinfer.model');
  const [kind, from, to, reason] = ['kind', 'from', 'to', 'reason'].map((key) => stringAt(attrs, `${transitionPrefix}${key}`));
  if (model === undefined || kind === undefined || from === undefined || to === undefined || reason === undefined) {
    return 'a record without webinfer.model and webinfer.transition.kind, .from, .to and .reason (strings)';
  }
  const inFlight = numberAt(attrs, `${transitionPrefix}in_flight`);
  const preparedMs = numberAt(attrs, `${transitionPrefix}prepared_ms`);
  return {
    model,
    kind: kind as TransitionRecord['kind'],
    from,
    to,
    reason,
    at,
    ...(inFlight === undefined ? {} : { inFlight }),
    ...(preparedMs === undefined ? {} : { preparedMs }),
  };
}
