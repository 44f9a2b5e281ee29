import { transfer } from 'comlink';
import { FetchError, InputError, refuse, StateError } from '../errors.js';
import { abortable } from '../lib/abortable.js';
import type { ModelWatch } from '../monitor/model-watch.js';
import type { Truth } from '../monitor/result-log.js';
import type { RuntimeObserver } from '../monitor/run-observer.js';
import { validateFeeds } from '../session/validate-feeds.js';
import { isTensorLike } from '../transforms/is-tensor-like.js';
import type { Anomaly, Inputs, ModelInfo, Outputs, Priority, RunTimings, TransformsInfo } from '../types.js';
import type { RunRequest } from '../worker/api.js';
import { checkPriority, checkTimeout } from './check-options.js';
import type { UpdateWatcher } from './model-updates.js';
import { prepareFeeds } from './prepare-feeds.js';
import type { RunCoalescer } from './run-coalescer.js';
import type { Supervisor } from './supervisor.js';
import type { UpdateCheckResult } from './update-types.js';

/** Options of one `model.run` call. */
export interface RunOptions {
  /**
   * Rejects the call with an `AbortError`. A run still queued is dropped in the worker and never
   * reaches the session; one already running finishes there and its result is dropped.
   */
  signal?: AbortSignal;
  /** Its place in the model's queue: `high` runs before `normal` (the default) before `low`. */
  priority?: Priority;
  /**
   * Ms from this call by which the run must have started in the worker: still queued then, it
   * rejects with an `AbortError` whose code is `deadline-exceeded`, without running.
   */
  deadlineMs?: number;
  /**
   * Copy inputs instead of transferring their buffers. By default a feed whose `data` spans its
   * whole `ArrayBuffer` is transferred to the worker and reads as empty (detached) afterwards.
   */
  keepInputs?: boolean;
  /** Overrides the model's run timeout (`runTimeoutMs`) for this call. */
  timeoutMs?: number;
  /**
   * False keeps this call out of the model's monitoring, for calls that are not the app's
   * traffic (a warm-up, a self-test, a benchmark): its tensors are not watched, its timings and
   * errors are not recorded or sent, it does not count toward an update's probation, and its
   * result has no id for `feedback` (`resultId` is ''). Default true.
   */
  monitor?: boolean;
}

/** What `model.runDetailed` resolves to. */
export interface RunResult {
  /**
   * Outputs by name. A run that a batching model ran stacked with others gets views: its `data`
   * is its own rows, its `data.buffer` the whole batch's (copy before transferring it).
   */
  readonly outputs: Outputs;
  /** Phases measured in the worker, plus the page's round trip. */
  readonly timings: RunTimings & { readonly roundTripMs: number };
  /** This result's id, for `model.feedback` once the truth is known. */
  readonly resultId: string;
  /** The version of the model that computed it (a model kept current changes version). */
  readonly version: string;
}

/**
 * A loaded model. Made by `rt.load`; runs in the runtime's worker.
 *
 * @example
 * const out = await model.run({ x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } });
 * console.log(model.info.backend, out.logits?.data);
 */
export class Model {
  readonly #info: ModelInfo;
  readonly #supervisor: Supervisor;
  readonly #key: number;
  readonly #runTimeoutMs: number;
  #disposed = false;

  /** Its calls into the runtime's metrics, events, probation and result log: the monitoring chunk's. */
  readonly #watch: ModelWatch | undefined;
  readonly #updates: UpdateWatcher | undefined;
  /** Present when the model batches: runs made in one task go to the worker as one message. */
  readonly #coalescer: RunCoalescer | undefined;

  constructor(
    supervisor: Supervisor,
    key: number,
    info: ModelInfo,
    options: { runTimeoutMs: number; observer?: RuntimeObserver; updates?: UpdateWatcher; coalescer?: RunCoalescer },
  ) {
    this.#supervisor = supervisor;
    this.#key = key;
    this.#runTimeoutMs = options.runTimeoutMs;
    this.#info = info;
    this.#updates = options.updates;
    this.#watch = options.observer?.track(info, options.updates);
    this.#coalescer = options.coalescer;
    // Fetched now, not on the first call, for a model that takes raw inputs.
    if (Object.keys(info.transforms?.inputs ?? {}).length > 0) rawInputsChunk().catch(() => undefined);
    const watch = this.#watch;
    if (watch) supervisor.onAnomalies(key, (version, found) => watch.noticed(this.info, version, found));
  }

  /** What the model is and where it runs (after a WebGPU device loss, on wasm: see `backend-change`). */
  get info(): ModelInfo {
    return this.#supervisor.info(this.#key) ?? this.#info;
  }

  /**
   * Runs the model and resolves to its outputs by name. `inputs` are tensors by input name, or,
   * for inputs whose manifest declares preprocessing (`info.transforms.inputs`), the raw values
   * it reads (a tabular row); outputs the manifest postprocesses come back as it says (for
   * example `predictions`). Tensors are checked against `info.inputs` first: a wrong name, dtype
   * or shape, a missing input or a detached buffer rejects with an `InputError` and nothing
   * reaches the worker; raw values are checked in the worker, with the same errors.
   */
  async run(inputs: Inputs, options: RunOptions = {}): Promise<Outputs> {
    return (await this.runDetailed(inputs, options)).outputs;
  }

  /** Like `run`, and also says where the time went. */
  async runDetailed(given: Inputs, options: RunOptions = {}): Promise<RunResult> {
    const { monitor = true } = options;
    if (typeof monitor !== 'boolean') refuse('monitor', 'a boolean', monitor);
    const watch = monitor ? this.#watch : undefined;
    try {
      const { anomalies, endedAt, ...result } = await this.#run(given, options);
      return { ...result, resultId: watch?.ran(this.info, result, anomalies, endedAt) ?? '' };
    } catch (error) {
      watch?.failed(this.info, error);
      throw error;
    }
  }

  /**
   * The truth about an earlier result, learned later (a user corrected a label, an outcome
   * arrived): `result` is its `resultId` or the outputs `run` returned; `truth` a class label or
   * index (or a number, for a regressor), one per row for several. Feeds `rt.metrics()`'s
   * online accuracy or absolute error, and an `accuracy-drop` anomaly when it falls below what
   * the manifest expects. Needs feedback on (`monitoring.feedback` in the manifest, or
   * `rt.load(url, { feedback: {} })`); a result is judged once, within its model's last 1,000.
   *
   * @example
   * const out = await model.run({ image });
   * // later, when the user picks the right label:
   * model.feedback(out, 'tabby cat');
   */
  feedback(result: string | Outputs, truth: Truth): void {
    if (!this.#watch) {
      throw new InputError('result-unknown', 'Feedback is unavailable: the monitoring chunk failed to load', {
        details: { expected: 'monitoring loaded with the model', actual: null },
      });
    }
    this.#watch.feedback(this.info, result, truth);
  }

  async #run(
    given: Inputs,
    options: RunOptions,
  ): Promise<Omit<RunResult, 'resultId'> & { anomalies?: readonly Anomaly[] | undefined; endedAt: number }> {
    this.#assertUsable();
    const transforms = this.info.transforms;
    const raw = rawInputs(given, transforms);
    validateFeeds(given, this.info.inputs, { raw, provided: transforms?.provided ?? [] });
    const started = performance.now();
    const keep = options.keepInputs === undefined ? {} : { keepInputs: options.keepInputs };
    const prepared = raw.size > 0 ? await (await rawInputsChunk()).prepareRawFeeds(given, keep) : prepareFeeds(given, keep);
    const timeoutMs = options.timeoutMs === undefined ? this.#runTimeoutMs : checkTimeout('timeoutMs', options.timeoutMs);
    const request: RunRequest = {
      callId: this.#supervisor.nextCallId(),
      ...(options.priority === undefined ? {} : { priority: checkPriority(options.priority) }),
      ...(options.deadlineMs === undefined
        ? {}
        : { deadline: performance.timeOrigin + started + checkTimeout('deadlineMs', options.deadlineMs) }),
      ...(options.monitor === false ? { monitor: false } : {}),
    };
    const call = this.#coalescer
      ? this.#coalescer.run(prepared.feeds, prepared.transfer, request, timeoutMs)
      : this.#supervisor.callModel(
          this.#key,
          (remote, handle) => remote.run(handle, transfer(prepared.feeds, prepared.transfer), request),
          { timeoutMs },
        );
    const reply = await abortable(call, options.signal, () => {
      this.#supervisor.callModel(this.#key, (remote, handle) => remote.cancel(handle, request.callId)).catch(() => undefined);
    });
    const endedAt = performance.now();
    return {
      outputs: reply.outputs,
      version: reply.version,
      timings: { ...reply.timings, roundTripMs: endedAt - started },
      anomalies: reply.anomalies,
      endedAt,
    };
  }

  /**
   * Starts a recurrent model's state over (the manifest's `transforms.state`: Silero VAD's LSTM),
   * as for a new audio stream; the next run is fed zeros.
   */
  async resetState(): Promise<void> {
    this.#assertUsable();
    await this.#supervisor.callModel(this.#key, (remote, handle) => remote.resetState(handle), { timeoutMs: this.#runTimeoutMs });
  }

  /**
   * Checks for a newer version now (with `rt.load(url, { update })`): resolves once the check
   * is over, with the version running after it and whether it changed (see `UpdateCheckResult`).
   * Rejects with a `FetchError` when the manifest's server cannot be reached.
   *
   * @example
   * const { outcome, version } = await model.checkForUpdate();
   */
  async checkForUpdate(): Promise<UpdateCheckResult> {
    return this.#watcher().check('manual');
  }

  /** The model's update watcher (it must be usable and loaded with `{ update }`). */
  #watcher(): UpdateWatcher {
    this.#assertUsable();
    if (this.#updates) return this.#updates;
    throw new StateError('invalid-options', `Model "${this.info.id}" was not loaded with { update }`, {
      details: { option: 'update', expected: 'rt.load(manifestUrl, { update: true })', actual: 'off' },
    });
  }

  /**
   * Swaps the version the last update replaced back in (with `rt.load(url, { update })`; it is
   * still cached) and resolves to it; rejects with `no-previous-version` when there is none.
   * Emits `rollback` with reason `manual`. A later check may move to the newer version again.
   */
  async rollback(): Promise<string> {
    return this.#watcher().rollback();
  }

  /**
   * Holds the model on `version` (with `rt.load(url, { update })`): the version the last update
   * replaced, or one still in the cache (`rt.cache.list()`); it is swapped in (an `update` event
   * with trigger `pin`) and updates are not followed until `unpin()`. Rejects with
   * `version-unavailable` when the version is not cached.
   */
  async pin(version: string): Promise<void> {
    await this.#watcher().pin(version);
  }

  /** Follows updates again after `pin`, and checks for one now. */
  async unpin(): Promise<UpdateCheckResult> {
    return this.#watcher().unpin();
  }

  /** Releases the session in the worker. Later calls reject with `model-disposed`. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#updates?.stop();
    await this.#supervisor.release(this.#key);
  }

  #assertUsable(): void {
    if (this.#disposed) {
      throw new StateError('model-disposed', `Model "${this.info.id}" was disposed`, { details: { model: this.info.id } });
    }
  }
}

/** A model without transforms takes none: one set for all of its calls. */
const noRawInputs: ReadonlySet<string> = new Set();

/** Names of the inputs given raw values for their preprocessing to read (checked in the worker). */
function rawInputs(inputs: Inputs, transforms: TransformsInfo | undefined): ReadonlySet<string> {
  if (!transforms || typeof inputs !== 'object' || inputs === null) return noRawInputs;
  return new Set(Object.keys(transforms.inputs).filter((name) => name in inputs && !isTensorLike(inputs[name])));
}

let loadingRawInputs: Promise<typeof import('./raw-inputs.js')> | undefined;

/** The code that readies raw inputs, a chunk of its own; a failed load is tried again next call. */
function rawInputsChunk(): Promise<typeof import('./raw-inputs.js')> {
  loadingRawInputs ??= import('./raw-inputs.js').catch((error: unknown) => {
    loadingRawInputs = undefined;
    throw new FetchError('network', `webinfer could not load its raw-inputs chunk: ${String(error)}`, {
      cause: error,
      details: { expected: "the chunk beside webinfer's entry, reachable" },
    });
  });
  return loadingRawInputs;
}
