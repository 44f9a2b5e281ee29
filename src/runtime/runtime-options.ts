import type { RetryPolicy } from '../artifacts/retry-policy.js';
import type { Backend, CacheOptions } from '../types.js';
import type { SupervisorSettings } from './check-options.js';
import type { TelemetryOptions } from './telemetry-handle.js';

/** Options of `createRuntime`. Every field has a default. */
export interface RuntimeOptions {
  /** Backends to try, in order. Default `['webgpu', 'wasm']`. */
  backends?: readonly Backend[];
  /** Wasm threads per worker; default: onnxruntime-web's choice (half the cores, at most 4). */
  threads?: number;
  /**
   * Ed25519 public keys (raw 32 bytes, base64url, as `webinfer keygen` prints them). When set,
   * every manifest must carry a signature by one of them or its load is refused before any
   * model byte is fetched. Bare `.onnx` URLs and `{ url, sha256 }` are not manifests.
   */
  manifestKeys?: readonly string[];
  /**
   * Which side of a channel's rollout this install falls on is a hash of this id with the
   * model's. Default: a random id kept in localStorage (the same on every visit).
   */
  installId?: string;
  /**
   * How model downloads retry: `attempts` per file (default 6), backoff from `baseDelayMs` (500)
   * doubling to `maxDelayMs` (15 000) with full jitter, and `stallMs` (30 000) without a byte
   * before a download is aborted and resumed.
   */
  download?: Partial<RetryPolicy>;
  /**
   * Keep verified model files in IndexedDB, so later loads (and offline ones) read them instead
   * of the network, and interrupted downloads resume. Default true; an object tunes it.
   */
  cache?: boolean | CacheOptions;
  /** Starts the worker; replace it to host webinfer's worker chunk yourself. */
  createWorker?: () => Worker;
  /**
   * Milliseconds a `model.run` may take before it rejects with `call-timeout` and the worker,
   * presumed hung, is restarted. Default 60 000; `Infinity` turns it off. Per model:
   * `rt.load(source, { runTimeoutMs })`; per call: `model.run(feeds, { timeoutMs })`.
   */
  runTimeoutMs?: number;
  /**
   * How the runtime watches its worker: `heartbeatMs` (default 5 000) between pings of an idle
   * worker; how many restarts (`maxRestarts`, default 5) within `restartWindowMs` (60 000)
   * before it gives up; and when a worker with no model left is ended (`recycleWhenIdle`,
   * default true; or `recycleAfterSessions`).
   */
  supervisor?: Partial<SupervisorSettings>;
  /**
   * `anomaly` events: at most one per model, version, kind and tensor every `intervalMs`
   * (default 10 s; 0 sends every one).
   */
  anomalies?: { intervalMs?: number };
  /**
   * Send latency histograms, anomalies, web-vitals and long frames to a collector (or an OTLP
   * receiver) in beacons, never model inputs: `{ endpoint: '/collect' }`. Off by default.
   */
  telemetry?: TelemetryOptions;
}
