import type { FeedbackConfig } from '../monitor/feedback-schema.js';
import type { BatchingOptions } from '../session/batcher.js';
import type { Backend, LoadProgress } from '../types.js';
import type { UpdateOptions } from './update-types.js';

/** Options of one `rt.load` call. */
export interface LoadOptions {
  /** Called with each progress report; never after the load settles. */
  onProgress?: (progress: LoadProgress) => void;
  /** Aborts the download and session creation in the worker. */
  signal?: AbortSignal;
  /** Overrides the runtime's `backends` for this model. */
  backends?: readonly Backend[];
  /** Overrides the runtime's `runTimeoutMs` for this model's runs. */
  runTimeoutMs?: number;
  /**
   * Stack concurrent runs into one `session.run` (dynamic micro-batching): `true` for up to 32
   * rows, waiting at most 2 ms for them, or `{ maxBatch, maxDelayMs }`. Off by default. The load
   * fails with `not-batchable` unless every input and output starts with one named dynamic
   * dimension and a probe finds batched outputs identical to single runs (`model.info.batching`).
   */
  batching?: boolean | Partial<BatchingOptions>;
  /**
   * Give this model a worker of its own instead of the runtime's shared one: its runs never wait
   * behind other models', and its worker (and wasm memory) ends when it is disposed.
   */
  ownWorker?: boolean;
  /**
   * Which of the manifest's builds to load (its `variants`, e.g. `"fp16"`); default: its
   * top-level files. A build that needs what this device lacks (float16 where WebGPU has no
   * `shader-f16`) falls back to a float32 build, and `model.info.variant` says so.
   */
  variant?: string;
  /**
   * When the URL is a channels document (`webinfer/channels@1`): the channel to follow, default
   * `stable`. `model.info.channel` says which, and whether this install is inside its rollout.
   */
  channel?: string;
  /**
   * Turn `model.feedback` on (or tune it over the manifest's `monitoring.feedback`): `{}` judges
   * the first output, a classifier's top class or a regressor's values; `{ output, task,
   * expected: { accuracy } | { mae }, tolerance, window }`. Checked in the worker.
   */
  feedback?: FeedbackConfig;
  /**
   * Keep this model current (a manifest only): `true`, or `{ intervalMs, onVisible }`. A cached
   * version loads at once without the network (stale-while-revalidate); the manifest is then
   * revalidated in the background — after the load, every `intervalMs` (10 min) and when the
   * page becomes visible — and a new version that loads and passes its canary is swapped in
   * between calls (`rt.on('update')`); one that fails is refused (`rt.on('rollback')`).
   */
  update?: boolean | UpdateOptions;
}
