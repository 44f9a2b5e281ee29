/** What the Node runner asks the bench page for, and what the page answers. Type-only. */

/** The two models every figure runs on. */
export type ModelName = 'vad' | 'heavy';

/** One task, run in a fresh page so that no task pollutes another. */
export type BenchTask =
  | {
      readonly kind: 'p2';
      readonly model: ModelName;
      readonly warmup: number;
      readonly runs: number;
      /** The steady sample starts once this long has passed since the load, calls running all along. */
      readonly steadyAfterMs: number;
    }
  | { readonly kind: 'p3-webinfer' | 'p3-main-thread'; readonly model: ModelName; readonly runs: number }
  | { readonly kind: 'echo'; readonly model: ModelName; readonly warmup: number; readonly runs: number }
  | { readonly kind: 'p1'; readonly model: ModelName | 'large'; readonly runs: number }
  | { readonly kind: 'storage'; readonly chunkBytes: number }
  | { readonly kind: 'p6'; readonly runs: number }
  | { readonly kind: 'p9'; readonly runs: number }
  | {
      readonly kind: 'p8';
      readonly model: ModelName;
      readonly warmup: number;
      readonly blocks: number;
      /** Whether the watched calls come first in the first block (the runner runs both orders). */
      readonly onFirst: boolean;
    }
  | { readonly kind: 'huge'; readonly x: readonly number[]; readonly y: readonly number[] }
  /** `server`: the update server's URL; `swaps` updates after `baselineCalls` calls alone. */
  | { readonly kind: 'update'; readonly server: string; readonly swaps: number; readonly baselineCalls: number };

/** Per-call timings of `model.runDetailed`, one array entry per measured call. */
export interface P2Samples {
  readonly roundTripMs: number[];
  readonly inferenceMs: number[];
  readonly workerMs: number[];
  readonly prepareMs: number[];
  readonly queueMs: number[];
}

/**
 * Two samples of the same model: `early` right after the warm-up calls, while V8 is still
 * compiling hot wasm functions in the background, and `steady` once `steadyAfterMs` has passed.
 */
export interface P2Result {
  readonly kind: 'p2';
  readonly crossOriginIsolated: boolean;
  readonly threads: number;
  readonly backend: string;
  readonly early: P2Samples;
  readonly steady: P2Samples;
  /** Calls made before the steady sample, warm-up and early sample included. */
  readonly callsBeforeSteady: number;
}

/** Long tasks on the page's main thread while loading a model and running it. */
export interface P3Result {
  readonly kind: 'p3-webinfer' | 'p3-main-thread';
  readonly crossOriginIsolated: boolean;
  readonly threads: number;
  readonly loadMs: number;
  readonly runMs: number[];
  readonly longTasks: { readonly startTime: number; readonly duration: number }[];
}

/**
 * The messaging floor: round trips to a worker that only echoes the same feeds back, by raw
 * `postMessage` and through Comlink, with nothing of webinfer in between.
 */
export interface EchoResult {
  readonly kind: 'echo';
  readonly rawMs: number[];
  readonly comlinkMs: number[];
}

/** Warm starts (cached load → ready, fresh runtime each) against session create from memory in a fresh worker. */
export interface P1Result {
  readonly kind: 'p1';
  readonly webinferMs: number[];
  readonly baselineMs: number[];
  /** `model.info.cache.state` of each warm start: all must be `hit`. */
  readonly cacheStates: string[];
  /** `model.info.loadTimings` of each warm start: where its time went. */
  readonly timings: { manifestMs: number; cacheReadMs: number; sessionMs: number }[];
}

/** P6, micro-batching (see bench/page/p6.ts): one entry per alternated run. */
export interface P6Result {
  readonly kind: 'p6';
  /** Whether the load's probe found batched outputs identical to single runs. */
  readonly verified: boolean;
  /** (a) 32 single-row requests, one after another, batching off. */
  readonly sequentialMs: number[];
  /** 32 single-row requests at once, batching on. */
  readonly concurrentMs: number[];
  /** (b) one request of 32 rows. */
  readonly oneBatchMs: number[];
  /** `timings.batchSize` of every concurrent request. */
  readonly batchSizes: number[];
  /** Round trip − worker time of every concurrent request, and of a lone request after each run. */
  readonly busyTransitMs: number[];
  readonly idleTransitMs: number[];
}

/** P8, monitoring on against off (see bench/page/p8.ts): every call's milliseconds, per side. */
export interface P8Result {
  readonly kind: 'p8';
  readonly model: ModelName;
  /** Round trips with every monitor and telemetry on, and with the worker's monitors off. */
  readonly on: number[];
  readonly off: number[];
  /** `session.run` in the worker, per side. */
  readonly onInference: number[];
  readonly offInference: number[];
  /** Everything the worker did for the call (monitors included), per side. */
  readonly onWorker: number[];
  readonly offWorker: number[];
  /** The page's share after the reply arrived (the caller's time less `timings.roundTripMs`), per side. */
  readonly onAfterReply: number[];
  readonly offAfterReply: number[];
}

/** Model updates under load (see bench/page/update.ts). */
export interface UpdateResult {
  readonly kind: 'update';
  /** Round trips of calls with no swap under way, and of calls during swaps. */
  readonly baselineMs: number[];
  readonly duringMs: number[];
  /** Per swap: from the check to the swap; preparing the new version; calls in flight at the swap. */
  readonly swapMs: number[];
  readonly preparedMs: number[];
  readonly inFlight: number[];
  /** Calls that failed: the goal is none. */
  readonly failed: number;
}

/** P9', image preprocessing (see bench/page/p9.ts): one entry per alternated run. */
export interface P9Result {
  readonly kind: 'p9';
  /** webinfer's `runDetailed` on an ImageData, to its result (image-mean: three numbers back). */
  readonly webinferMs: number[];
  /** The same on image-probe, which sends the whole tensor back (600 KB more copied). */
  readonly wholeTensorMs: number[];
  /** drawImage + getImageData + a loop, on the main thread. */
  readonly baselineMs: number[];
  /** webinfer fed an ImageBitmap (read back in the worker). */
  readonly bitmapMs: number[];
  /** How long the main thread stayed busy with that call. */
  readonly bitmapBusyMs: number[];
  /** webinfer fed a VideoFrame of the same pixels (RGBA in memory, as a camera's or decoder's may be). */
  readonly frameMs: number[];
  /** How long the main thread stayed busy with that call. */
  readonly frameBusyMs: number[];
  /** How long the main thread stayed busy with webinfer's call. */
  readonly pageBusyMs: number[];
  /** How long it stayed busy posting the same pixels, transferred, to a worker that sends them back: the bare transfer. */
  readonly transferBusyMs: number[];
  /** `timings.preprocessMs` of webinfer's call, in the worker. */
  readonly preprocessMs: number[];
}

/** P4 and P5 on the large model for one chunk size (see bench/page/storage.ts). */
export interface StorageResult {
  readonly kind: 'storage';
  readonly chunkBytes: number;
  readonly bytes: number;
  readonly webinfer: {
    /** Download + verify + store of every file, from an empty cache. */
    readonly downloadMs: number;
    readonly downloadCache: string;
    /** Verified read of every file from the cache, by a worker that has read them once already. */
    readonly cacheReadMs: number;
    /** The same read by a fresh worker's warm start, beside onnxruntime-web's start. */
    readonly warmStartReadMs: number;
    readonly readCache: string;
  };
  /** Each part alone, on the same bytes, in a worker. */
  readonly alone: {
    readonly fetchMs: number;
    /** A bare streamed fetch writing each chunk as it fills, unhashed: what overlap this machine allows. */
    readonly pipelineMs: number;
    /** hash-wasm, as webinfer hashes. */
    readonly hashMs: number;
    readonly hashWebCryptoMs: number;
    /** Chunks written as Blobs, each with a file record in its own transaction, as webinfer writes. */
    readonly idbWriteMs: number;
    /** Those chunks read back, each file as one composite Blob, unhashed. */
    readonly idbReadMs: number;
    /** The same with chunks stored as typed arrays, read one `get` at a time. */
    readonly idbTypedWriteMs: number;
    readonly idbTypedReadMs: number;
    /** `getFile().arrayBuffer()` of each file. */
    readonly opfsReadMs: number;
    /** A sync access handle reading each file into one buffer. */
    readonly opfsSyncReadMs: number;
  };
}

/** One request to bench/page/storage-worker.ts, and its answer. */
export type StorageOp =
  | { readonly op: 'fetch'; readonly urls: readonly string[] }
  | { readonly op: 'idb-write'; readonly chunkBytes: number; readonly asBlob: boolean }
  | { readonly op: 'pipeline'; readonly urls: readonly string[]; readonly chunkBytes: number }
  | {
      readonly op:
        | 'hash'
        | 'hash-webcrypto'
        | 'idb-read'
        | 'idb-read-composite'
        | 'idb-clear'
        | 'opfs-write'
        | 'opfs-read'
        | 'opfs-read-sync'
        | 'clear';
    };
export interface StorageReply {
  readonly ms: number;
  readonly bytes: number;
}

/** The opt-in run past 2 GB (see bench/page/huge.ts). */
export interface HugeResult {
  readonly kind: 'huge';
  readonly bytes: number;
  readonly cold: HugeLoad;
  readonly warm: HugeLoad;
  /** Largest difference of the first run's output from the float64 reference. */
  readonly maxAbsDiff: number;
  /** Whether the run after the cached load gave the very same output. */
  readonly sameOutputs: boolean;
}
export interface HugeLoad {
  readonly ms: number;
  readonly cache: string;
  readonly timings: {
    readonly manifestMs: number;
    readonly cacheReadMs: number;
    readonly downloadMs: number;
    readonly sessionMs: number;
  };
}

export type BenchResult =
  | P2Result
  | P3Result
  | EchoResult
  | P1Result
  | StorageResult
  | HugeResult
  | P6Result
  | P8Result
  | P9Result
  | UpdateResult;

/** What the page installs on `window` for the runner to call with `page.evaluate`. */
export type BenchEntry = (task: BenchTask) => Promise<BenchResult>;
