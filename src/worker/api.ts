import type { ModelSource } from '../artifacts/fetch-artifacts.js';
import type { PinnedManifest } from '../artifacts/read-manifest.js';
import type { RetryPolicy } from '../artifacts/retry-policy.js';
import type { CachedModel } from '../artifacts/store/model-store.js';
import type { Wire } from '../lib/wire.js';
import type { BatchingOptions } from '../session/batcher.js';
import type {
  Anomaly,
  Backend,
  CacheOptions,
  Feeds,
  Inputs,
  LoadProgress,
  ModelInfo,
  Outputs,
  Priority,
  RunTimings,
} from '../types.js';

/** What the page asks the worker to load. */
export interface LoadRequest {
  /** A manifest, or a bare `.onnx` file; URLs absolute. */
  readonly source: ModelSource;
  /** Backends to try, in order. */
  readonly backends: readonly Backend[];
  /** Ed25519 public keys that manifests must be signed by; empty: signatures are not checked. */
  readonly manifestKeys: readonly string[];
  /** Read verified files from the IndexedDB cache and store new ones; false: caching is off. */
  readonly cache: false | Pick<CacheOptions, 'chunkBytes' | 'memoryFallback'>;
  /** Download retries and stall timeout; defaults where absent. */
  readonly retry?: Partial<RetryPolicy>;
  /** Wasm threads; `undefined` lets onnxruntime-web choose. */
  readonly threads?: number;
  /** Names this call for `abort(callId)`. */
  readonly callId: number;
  /** Stack concurrent runs into one, after checking the model allows it (`not-batchable` if not). */
  readonly batching?: BatchingOptions;
  /** The manifest build asked for (`LoadOptions.variant`); absent: the top-level files. */
  readonly variant?: string;
  /** `LoadOptions.feedback`, checked in the worker; over the manifest's `monitoring.feedback`. */
  readonly feedback?: unknown;
  /** Use a cached manifest without asking the network (the page checks for updates after). */
  readonly cachedFirst?: boolean;
  /** When the URL is a channels document: the channel to follow (`LoadOptions.channel`). */
  readonly channel?: string;
  /** This install's id, stable across visits: which side of a rollout it falls on. */
  readonly installId?: string;
}

/** Which channel and install a manifest check is for. */
export interface CheckRequest {
  readonly channel?: string;
  readonly installId?: string;
}

/**
 * What `checkManifest` found: the manifest the server has now (through the channels document,
 * when the URL is one), pinned as a load of it would need it.
 */
export interface ManifestCheck extends PinnedManifest {
  /** Its `version`, when it is JSON with one (the load that follows validates the rest). */
  readonly version: string | null;
}

export interface LoadReply {
  /** Names the loaded model in later calls. */
  readonly handle: number;
  readonly info: ModelInfo;
  /** The manifest it was loaded from, pinned: it loads this version again. */
  readonly manifest?: PinnedManifest;
}

/** What the model cache holds, and what the browser lets this origin store. */
export interface CacheUsage {
  /** Bytes in webinfer's cache: complete files, downloads that will resume, onnxruntime-web's files. */
  readonly bytes: number;
  /** The part of `bytes` that is onnxruntime-web's own `.wasm`, kept for offline loads. */
  readonly runtimeBytes: number;
  /** `navigator.storage.estimate()` for the whole origin, when the browser has it. */
  readonly origin?: { readonly usage: number; readonly quota: number };
  /** Whether the browser made this origin's storage persistent (see `cache.persist`), when known. */
  readonly persisted?: boolean;
}

/** What the worker tells the page unasked (through the callback given to `attach`). */
export type WorkerEvent =
  /**
   * The worker started rebuilding model `handle` on its own (its WebGPU device was lost): it may
   * hold its thread for seconds (a session to create) until `backend-change` or `rebuild-failed`.
   */
  | { readonly type: 'rebuild-started'; readonly handle: number; readonly reason: string }
  /** The model `handle` now runs elsewhere (its WebGPU device was lost): its new `info`. */
  | { readonly type: 'backend-change'; readonly handle: number; readonly info: ModelInfo; readonly reason: string }
  /** The model `handle` lost its backend and could not be rebuilt: its calls fail. */
  | { readonly type: 'rebuild-failed'; readonly handle: number; readonly reason: string }
  /**
   * What the monitors of model `handle` (at `version`) found in a run's inputs, sent after that
   * run's reply: they watch the inputs once the reply has gone (see `WatchLater`).
   */
  | {
      readonly type: 'anomalies';
      readonly handle: number;
      readonly version: string;
      readonly anomalies: readonly Anomaly[];
    };

/** How one run is queued in the worker. */
export interface RunRequest {
  /** Names the run for `cancel`. */
  readonly callId: number;
  readonly priority?: Priority;
  /**
   * When it must have started, in ms since the epoch (`performance.timeOrigin + performance.now()`,
   * comparable across the page and the worker); dropped with `deadline-exceeded` after that.
   */
  readonly deadline?: number;
  /** False: the model's monitors do not watch this run (`RunOptions.monitor`). */
  readonly monitor?: false;
}

export interface RunReply {
  readonly outputs: Outputs;
  /** The version of the model that ran (a model updated in the field changes version). */
  readonly version: string;
  readonly timings: RunTimings;
  /**
   * What the monitors saw in this run's outputs, when anything (its inputs are watched after
   * the reply: their findings follow as an `anomalies` event).
   */
  readonly anomalies?: readonly Anomaly[];
}

/** One call of `runMany`. */
export interface RunCall {
  readonly inputs: Inputs;
  readonly request: RunRequest;
}

/**
 * The worker's API, exposed through Comlink as one typed object (each method's outcome travels
 * as a `Wire`, see `lib/wire.ts`). Buffers of feeds and outputs are transferred, not copied.
 */
export interface WorkerApi {
  /**
   * Takes the Web Lock `lockName` for the worker's whole life, so the page learns of its death
   * (terminated, closed, crashed) the moment the browser releases it. Resolves to whether the
   * lock is held: false where Web Locks are missing (insecure contexts).
   */
  attach(lockName: string, onEvent?: (event: WorkerEvent) => void): Promise<boolean>;
  /** Answers at once: the page's heartbeat while no call is in flight. */
  ping(): 'pong';
  load(request: LoadRequest, onProgress?: (progress: LoadProgress) => void): Promise<LoadReply>;
  /**
   * Revalidates a manifest against the copy in the cache (`If-None-Match`, `If-Modified-Since`);
   * rejects with a `FetchError` when the server cannot be reached.
   */
  checkManifest(url: string, request?: CheckRequest): Promise<ManifestCheck>;
  /** The manifest of a version in the cache, with its URL; null when it is not cached. */
  cachedManifest(id: string, version: string): Promise<{ text: string; url: string } | null>;
  run(handle: number, inputs: Inputs, request?: RunRequest): Promise<RunReply>;
  /**
   * Runs requests of one batch key as one request of all their rows (the page's run coalescer,
   * for runs made in one task): stacked in the worker, into memory it uses again; the outputs
   * come back whole, for the page to split by the rows each request brought.
   */
  runStacked(handle: number, parts: readonly Feeds[], request: RunRequest): Promise<RunReply>;
  /**
   * Runs several calls of one model at once (the page's run coalescer): each is queued and run
   * as `run` would, and each outcome comes back in the one reply, in order.
   */
  runMany(handle: number, calls: readonly RunCall[]): Promise<Wire<RunReply>[]>;
  /** Starts the model's recurrent state over. */
  resetState(handle: number): void;
  /** Drops a queued run (see `RunRequest.callId`); does nothing once it started or ended. */
  cancel(handle: number, callId: number): void;
  dispose(handle: number): Promise<void>;
  /** Aborts the `load` named by `callId`; does nothing if it has finished. */
  abort(callId: number): void;
  cacheList(): Promise<CachedModel[]>;
  /** Resolves to the number of versions deleted. */
  cacheDelete(id: string, version?: string): Promise<number>;
  cacheUsage(): Promise<CacheUsage>;
  cacheClear(): Promise<void>;
  /**
   * Resolves once what the worker writes on its own is written: onnxruntime-web's binary into
   * the cache, stored in the background after a first load. At once while a load goes on (that
   * write waits for it). The page asks before it ends an idle worker.
   */
  settleWrites(): Promise<void>;
}
