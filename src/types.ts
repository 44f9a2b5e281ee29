/** Types shared by the page, the worker and the public API. Type-only: nothing here runs. */

import type { AnomalyEvent } from './monitor/anomaly-types.js';
import type { FeedbackConfig } from './monitor/feedback-schema.js';
import type { RollbackEvent, UpdateEvent } from './runtime/update-types.js';

export type { Anomaly, AnomalyEvent, AnomalyKind } from './monitor/anomaly-types.js';

/** Element types of tensors, named as onnxruntime-web names them. */
export type TensorType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

/** The array that holds each element type. `float16` also takes a `Float16Array` where the browser has one. */
export interface TensorDataMap {
  float32: Float32Array;
  float16: Uint16Array;
  float64: Float64Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: string[];
}

/** A tensor as webinfer takes and returns it: plain data that crosses `postMessage`. */
export type Tensor = {
  [T in TensorType]: { readonly type: T; readonly data: TensorDataMap[T]; readonly dims: readonly number[] };
}[TensorType];

/** Model inputs by name, as tensors. */
export type Feeds = Readonly<Record<string, Tensor>>;

/** Tensors by name: what a session returns, before any postprocessing. */
export type Tensors = Record<string, Tensor>;

/** A tabular row: field values by name (`null`, `undefined` or `NaN`: missing). */
export type TabularRow = Readonly<Record<string, number | string | null | undefined>>;

/**
 * An image for an input with an `image` reader: an ImageBitmap, a VideoFrame (its visible
 * pixels), ImageData, Blob or File, an `<img>`, `<canvas>` or OffscreenCanvas (elements become
 * ImageBitmaps on the page). Spelled structurally: this file is shared with code built without
 * the DOM's types.
 */
export type ImageInput =
  | { readonly width: number; readonly height: number }
  | { readonly codedWidth: number; readonly codedHeight: number; readonly format: string | null }
  | { readonly size: number; readonly type: string; arrayBuffer(): Promise<ArrayBuffer> };

/** Audio for an input with an `audio` reader: samples at the model's rate, samples with their rate, or an AudioBuffer. */
export type AudioInput =
  | Float32Array
  | { readonly samples: Float32Array; readonly sampleRate: number }
  | { readonly numberOfChannels: number; getChannelData(channel: number): Float32Array };

/** What an input with a preprocessing reader in the manifest takes instead of a tensor. */
export type RawInput = TabularRow | readonly TabularRow[] | ImageInput | AudioInput | string | readonly string[];

/**
 * Inputs by name for `model.run`: tensors, or for inputs whose manifest declares preprocessing,
 * the raw values it reads (a tabular row, several rows).
 */
export type Inputs = Readonly<Record<string, Tensor | RawInput>>;

/** One class of a classifier's output: its index, its score and, with labels, its name. */
export interface Prediction {
  readonly index: number;
  readonly score: number;
  readonly label?: string;
}

/**
 * An output after an `argmax`, `top-k` or `threshold` op: per row (dims[0] rows), the classes it
 * picked, best first.
 */
export interface Predictions {
  readonly type: 'predictions';
  readonly data: readonly (readonly Prediction[])[];
  readonly dims: readonly number[];
}

/** One detected object: its box as corners [x1, y1, x2, y2] in the model's input pixels, class and score. */
export interface Detection {
  readonly box: readonly number[];
  readonly score: number;
  readonly index: number;
  readonly label?: string;
}

/** An output after an `nms` op: per row, the boxes kept, best first. */
export interface Detections {
  readonly type: 'detections';
  readonly data: readonly (readonly Detection[])[];
  readonly dims: readonly number[];
}

/** An output after a `ctc-greedy` op: one decoded string per sequence. */
export interface Texts {
  readonly type: 'text';
  readonly data: readonly string[];
  readonly dims: readonly number[];
}

/** An output as `model.run` returns it: a tensor, or what the manifest's postprocessing made of it. */
export type OutputValue = Tensor | Predictions | Detections | Texts;

/** Model outputs by name. */
export type Outputs = Record<string, OutputValue>;

/**
 * An input or output as the model declares it. A string dimension is symbolic (dynamic, and the
 * same size wherever the name recurs); -1 is a dynamic dimension without a name.
 */
export interface TensorInfo {
  readonly name: string;
  /** `'unknown'` for non-tensor values (sequences, maps). */
  readonly type: TensorType | 'unknown';
  /** `null` when the model does not declare a shape. */
  readonly dims: readonly (number | string)[] | null;
}

/** Where a model can run. */
export type Backend = 'webgpu' | 'wasm';

/** Why a session runs on one wasm thread though the caller did not ask for one (`model.info.singleThread`). */
export type SingleThreadCause = 'not-isolated' | 'webgpu';

/** One try at creating a session on one backend. */
export interface BackendAttempt {
  readonly backend: Backend;
  readonly ok: boolean;
  /** Why the backend was not used; absent when `ok`. */
  readonly reason?: string;
}

/** What a loaded model is and where it runs. */
export interface ModelInfo {
  /** The model's name: the file name without `.onnx` for a bare model URL. */
  readonly id: string;
  /** For a bare model URL, the first 12 hex digits of the file's SHA-256. */
  readonly version: string;
  /** The absolute URL the model was loaded from. */
  readonly url: string;
  readonly bytes: number;
  /** The backend the session runs on. */
  readonly backend: Backend;
  /** Why the backends before `backend` were not used; absent when the first choice worked. */
  readonly fallbackReason?: string;
  readonly attempts: readonly BackendAttempt[];
  /** Whether the worker is cross-origin isolated, which wasm threads need. */
  readonly crossOriginIsolated: boolean;
  /** onnxruntime-web's wasm thread count for this session. */
  readonly threads: number;
  /**
   * Why only one thread is used, when that is not the caller's choice: `not-isolated`, the page
   * lacks COOP/COEP (the one cause a deployment can fix); `webgpu`, WebGPU sessions always are.
   */
  readonly singleThread?: SingleThreadCause;
  /** The same, in words, with what to do about it. */
  readonly singleThreadReason?: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Whether the files came from webinfer's cache, were stored in it, or why not. */
  readonly cache: CacheStatus;
  /** Milliseconds from `load()` to a ready session, measured in the worker. */
  readonly loadMs: number;
  /** Where `loadMs` went. */
  readonly loadTimings: LoadTimings;
  /** Present when concurrent runs are stacked into one (`rt.load(source, { batching })`). */
  readonly batching?: BatchingInfo;
  /** The manifest build loaded (absent for a bare file), and why when it is not the one asked for. */
  readonly variant?: VariantInfo;
  /** The channel followed, when the URL loaded was a channels document; `rollout`: this install is inside its rollout. */
  readonly channel?: { readonly name: string; readonly rollout: boolean };
  /** With a manifest `canary`: the backend that passed it, and those that failed it (passed over). */
  readonly canary?: CanaryInfo;
  /** With feedback on (manifest `monitoring.feedback`, or `rt.load(url, { feedback })`): what it judges. */
  readonly feedback?: FeedbackConfig;
  /** The manifest's preprocessing and postprocessing, when it declares any. */
  readonly transforms?: TransformsInfo;
}

/** Which inputs take raw values, and what each output goes through (op names, in order). */
export interface TransformsInfo {
  /** Input name → the op that reads its raw value (`row`: a tabular row or rows; `image`). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Output name → its ops (`softmax`, `top-k`, ...). */
  readonly outputs: Readonly<Record<string, readonly string[]>>;
  /** Inputs the runtime feeds itself (constants, recurrent state): callers leave them out. */
  readonly provided: readonly string[];
}

/** Which of a manifest's builds a model runs (`rt.load(url, { variant })`). */
export interface VariantInfo {
  /** `"default"` for the manifest's top-level files, else the variant's name. */
  readonly name: string;
  readonly precision: 'float32' | 'float16' | 'int8' | 'uint8' | 'int4';
  /** WebGPU features it needs (`shader-f16` for float16): such a build runs on WebGPU only. */
  readonly needs: readonly string[];
  /** The variant asked for, when another one is loaded instead. */
  readonly asked?: string;
  /** Why the variant asked for is not the one loaded. */
  readonly fallbackReason?: string;
}

/** How a model batches concurrent runs. */
export interface BatchingInfo {
  /** Rows in one run at most. */
  readonly maxBatch: number;
  /** How long the oldest waiting run waits for others. */
  readonly maxDelayMs: number;
  /**
   * Whether a probe at load found stacked runs give exactly the outputs of single runs. False
   * when the probe could not be built (dimensions past the first are symbolic), with `unverifiedReason`.
   */
  readonly verified: boolean;
  readonly unverifiedReason?: string;
}

/** The phases of one load, in milliseconds measured in the worker. */
export interface LoadTimings {
  /** Fetching (or, offline, reading the cached) manifest and checking it. */
  readonly manifestMs: number;
  /** Reading files from the cache, each verified by its SHA-256. */
  readonly cacheReadMs: number;
  /** Files not cached: downloading, hashing and storing them, pipelined. */
  readonly downloadMs: number;
  /**
   * Creating the session on the backend that took it, failed backends included. A warm start
   * on wasm starts onnxruntime-web before reading the files (`warmRuntime`): what is left of
   * that start when the files are in is counted here, and `cacheReadMs` may be slower for it.
   */
  readonly sessionMs: number;
  /**
   * The manifest's canary run on the chosen backend (its warm-up: the first runs that allocate
   * and compile), when it has one; included in `sessionMs`.
   */
  readonly warmupMs?: number;
}

/** `createRuntime({ cache })` in detail; `cache: true` is `{}`. */
export interface CacheOptions {
  /**
   * Bytes per stored chunk (default 16 MiB, from 64 KiB to 128 MiB): what a download interrupted
   * by a reload resumes from, and the size of each IndexedDB write.
   */
  readonly chunkBytes?: number;
  /**
   * When a model's files cannot be stored (quota exceeded even after evicting unused versions,
   * IndexedDB failing): true (default) runs the model from memory for this session, with the
   * reason in `model.info.cache`; false fails the load with the `StorageError`.
   */
  readonly memoryFallback?: boolean;
  /**
   * Ask the browser to make this origin's storage persistent (`navigator.storage.persist()`, from
   * the page, at the first load), so that it is not evicted under storage pressure.
   */
  readonly persist?: boolean;
}

/**
 * What the cache did for one load: `hit`, every file read from it (verified); `stored`, files
 * downloaded and stored; `not-cached`, with the reason (IndexedDB unavailable or failing, caching
 * off, or a bare URL without a hash to verify a cached copy by).
 */
export interface CacheStatus {
  readonly state: 'hit' | 'stored' | 'not-cached';
  readonly reason?: string;
}

/** Stages reported while a model loads. */
export type LoadStage = 'downloading' | 'reading-cache' | 'creating-session' | 'ready';

/** Where a load is, as the code doing it knows: bytes handled so far, of `total`. */
export interface StageProgress {
  readonly stage: LoadStage;
  readonly loaded: number;
  /** From the manifest's sizes (Content-Length lies under compression); null when unknown. */
  readonly total: number | null;
}

/** A progress report from `rt.load`. */
export interface LoadProgress extends StageProgress {
  /** Network bytes per second over the last few seconds of `downloading`; null before it is known. */
  readonly bytesPerSecond: number | null;
  /** Milliseconds left to download at that rate; null when the rate or the total is unknown. */
  readonly etaMs: number | null;
  /** Whether these bytes came from webinfer's cache rather than the network. */
  readonly fromCache: boolean;
}

/** Milliseconds spent in each phase of one `run`, measured in the worker. */
export interface RunTimings {
  /** Raw inputs made into tensors by the manifest's preprocessing (0 without any). */
  readonly preprocessMs: number;
  /** Time waiting in the model's queue: a session runs one call at a time, by priority. */
  readonly queueMs: number;
  /** Input checks and tensor construction. */
  readonly prepareMs: number;
  /** `session.run` itself (of the whole batch, when batched). */
  readonly inferenceMs: number;
  /** Requests that ran together in one `session.run`: 1 unless the model batches. */
  readonly batchSize: number;
  /** Outputs made into what the manifest's postprocessing says (0 without any). */
  readonly postprocessMs: number;
  /** From the worker receiving the call to it sending the reply. */
  readonly workerMs: number;
}

/** A model the supervisor loaded again in a new worker, or could not. */
export interface ReloadedModel {
  readonly id: string;
  readonly version: string;
  readonly ok: boolean;
  /** Why it could not be loaded again; its calls reject with `model-reload-failed`. */
  readonly error?: string;
}

/** `rt.on('worker-restart')`: the worker died or hung, and the runtime started a new one. */
export interface WorkerRestartEvent {
  /**
   * `worker-crashed` (it ended), `worker-unresponsive` (a call past its timeout, a missed
   * heartbeat), or `out-of-memory` (its wasm memory ran out; the models moved to a fresh worker).
   */
  readonly reason: 'worker-crashed' | 'worker-unresponsive' | 'out-of-memory';
  readonly message: string;
  /** Restarts within the restart window, this one included. */
  readonly restarts: number;
  /** False when the restart budget is spent: every later call fails with `worker-failed`. */
  readonly restarted: boolean;
  /** The models that were loaded, loaded again from the cache in the new worker. */
  readonly models: readonly ReloadedModel[];
  /** From the loss to the last model loaded again. */
  readonly ms: number;
}

/**
 * `rt.on('backend-change')`: a model moved to another backend by itself, because its WebGPU
 * device was lost; `model.info` says where it runs now. `to` is null when no backend could take it.
 */
export interface BackendChangeEvent {
  readonly id: string;
  readonly version: string;
  readonly from: Backend;
  readonly to: Backend | null;
  readonly reason: string;
}

/** How a model's canary (golden inputs and outputs from its manifest) went at load. */
export interface CanaryInfo {
  /** Golden cases checked. */
  readonly cases: number;
  readonly passedOn: Backend;
  /** Backends whose outputs were out of tolerance (or that could not run it), in order, and how. */
  readonly failed: readonly { readonly backend: Backend; readonly reason: string }[];
}

/** Events of `rt.on`. */
export interface RuntimeEvents {
  'worker-restart': WorkerRestartEvent;
  'backend-change': BackendChangeEvent;
  anomaly: AnomalyEvent;
  update: UpdateEvent;
  rollback: RollbackEvent;
}

/** Where a run goes in its model's queue: `high` before `normal` (the default) before `low`. */
export type Priority = 'high' | 'normal' | 'low';
