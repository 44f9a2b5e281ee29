import type { SingleThreadCause } from '../types.js';

/**
 * The beacon: what a page sends its collector, as `text/plain` JSON (no CORS preflight). One
 * beacon is one batch; the collector stores a batch once whatever number of times it arrives
 * (`batchId` is its idempotency key). Nothing in it comes from a model's inputs or outputs, or
 * names the user: figures, model names, error codes and the detectors' own messages only.
 */
export const beaconFormat = 'webinfer/beacon@1';

/** A batch's JSON never passes this (sendBeacon and keepalive fetches share a 64 KiB budget). */
export const maxBeaconBytes = 32 * 1024;

/** Bounds every string and list of a beacon keeps to (the collector refuses what passes them). */
export const beaconLimits = {
  name: 128,
  detail: 128,
  metrics: 64,
  anomalies: 200,
  transitions: 50,
  vitals: 50,
  detailKeys: 16,
} as const;

/**
 * Counts that arrived since the last beacon, in the histogram buckets every webinfer histogram
 * shares (`bucketBounds`, seconds): `[bucket index, count]` pairs for the buckets that changed.
 */
export interface HistogramDelta {
  readonly buckets: readonly (readonly [number, number])[];
  readonly count: number;
  /** Seconds. */
  readonly sum: number;
}

/** What one model version on one backend did since the last beacon. */
export interface MetricsDelta {
  readonly model: string;
  readonly version: string;
  readonly backend: string;
  readonly runs: number;
  /** Failed runs by error code. */
  readonly errors: Readonly<Record<string, number>>;
  /**
   * Run phases (queue, preprocess, inference, postprocess, total) and load phases, by name, in
   * seconds; `absoluteError`, a regressor's errors judged by `model.feedback`, in its units.
   */
  readonly histograms: Readonly<Record<string, HistogramDelta>>;
  /** Classifier rows `model.feedback` judged, and those right. */
  readonly feedback?: { readonly count: number; readonly correct: number };
  /**
   * Why this series' session runs on one wasm thread though the app did not ask for one
   * (`model.info.singleThread`): `not-isolated`, the page lacks COOP/COEP; `webgpu`, a WebGPU
   * session, which always does. Absent when it may use more (and from clients before it was added).
   */
  readonly singleThread?: SingleThreadCause;
}

export interface AnomalyRecord {
  readonly model: string;
  readonly version: string;
  readonly backend: string;
  readonly kind: string;
  readonly tensor: string;
  readonly where: 'input' | 'output';
  /**
   * The detector's figures (counts, thresholds, statistics). The value a detector saw in an
   * input (`details.value`) and its message, which quotes it, stay on the device.
   */
  readonly details: Readonly<Record<string, number | string>>;
  /** Epoch ms. */
  readonly at: number;
  /** Anomalies of its kind the runtime's rate limit left out before it. */
  readonly suppressed: number;
}

export type VitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

/** One web-vitals report (the value so far for LCP, CLS and INP; final for FCP and TTFB). */
export interface VitalRecord {
  readonly name: VitalName;
  /** Milliseconds; unitless for CLS. */
  readonly value: number;
  readonly rating: 'good' | 'needs-improvement' | 'poor';
  /** web-vitals' id of this metric on this page load (a later report of the same id replaces it). */
  readonly id: string;
  readonly navigationType: string;
}

/** Long animation frames (long tasks where the browser lacks them) since the last beacon. */
export interface LongFrames {
  readonly count: number;
  /** Of them, those that overlapped a model call in flight. */
  readonly duringInference: number;
  /** Milliseconds the page could not answer input (blocking duration), all and during calls. */
  readonly blockingMs: number;
  readonly blockingMsDuringInference: number;
}

/** What the client threw away instead of sending, by cause, since the last beacon. */
export interface DroppedCounts {
  /** Batches the offline queue dropped when full (oldest first). */
  readonly batches: number;
  /** Anomaly records past `beaconLimits.anomalies` in one flush. */
  readonly anomalies: number;
  /** Batches the collector refused (4xx other than 408 and 429): not retried. */
  readonly rejected: number;
}

/** A model changing version in the field: an update swapped in, or a version given up (`rt.on('update')`, `rt.on('rollback')`). */
export interface TransitionRecord {
  readonly model: string;
  readonly kind: 'update' | 'rollback';
  readonly from: string;
  readonly to: string;
  /** An update: what found it (`load`, `interval`, `visible`, `manual`); a rollback: why (`canary-failed`, `load-failed`, `errors`, `anomalies`, `manual`). */
  readonly reason: string;
  /** Epoch ms. */
  readonly at: number;
  /** An update: calls in flight on the old version at the swap, and ms spent preparing the new one. */
  readonly inFlight?: number;
  readonly preparedMs?: number;
}

export interface Beacon {
  readonly format: typeof beaconFormat;
  /** A random UUID; the idempotency key. */
  readonly batchId: string;
  /** A random UUID per runtime: the page session, never a user. */
  readonly sessionId: string;
  /** 1, 2, 3… per session: the order batches were made in, and gaps in what arrived. */
  readonly seq: number;
  /** Epoch ms when the batch was made. */
  readonly sentAt: number;
  /** The fraction of sessions that send telemetry: counts stand for 1 / sampleRate sessions. */
  readonly sampleRate: number;
  /** webinfer's version. */
  readonly client: string;
  readonly metrics: readonly MetricsDelta[];
  readonly anomalies: readonly AnomalyRecord[];
  readonly vitals: readonly VitalRecord[];
  /** Versions swapped in and given up since the last beacon; absent when none. */
  readonly transitions?: readonly TransitionRecord[];
  readonly longFrames: LongFrames;
  readonly dropped: DroppedCounts;
}
