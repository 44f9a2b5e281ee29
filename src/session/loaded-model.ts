import { AbortError, isWebinferError, ModelError } from '../errors.js';
import { RunMonitor } from '../monitor/detect.js';
import type { Pipeline } from '../transforms/pipeline.js';
import { stackRuns } from '../transforms/stack-runs.js';
import type { Anomaly, Feeds, Inputs, ModelInfo, Outputs, Tensors } from '../types.js';
import type { RunReply } from '../worker/api.js';
import { stackFeeds } from './batch-feeds.js';
import { type BatchedResult, Batcher, type BatchingOptions } from './batcher.js';
import type { ChosenSession } from './create-session.js';
import { isOutOfMemory, outOfMemoryError } from './out-of-memory.js';
import { RecurrentState } from './recurrent-state.js';
import { type QueueOptions, RequestQueue } from './request-queue.js';
import { ScratchBuffers } from './scratch-buffers.js';
import { fromOrtOutputs, toOrtFeeds } from './tensors.js';
import { validateFeeds } from './validate-feeds.js';
import { WatchLater } from './watch-later.js';

/** One `session.run`, with its outputs copied out of onnxruntime-web. */
interface Inference {
  readonly outputs: Tensors;
  readonly prepareMs: number;
  readonly inferenceMs: number;
}

/** A run's reply as the worker sends it (the page adds the version), and the buffers it transfers. */
export type WorkerRunReply = Omit<RunReply, 'version'> & { buffers: ArrayBuffer[] };

/** How one request runs: its place in the queue, and whether the model's monitors watch it. */
export interface RunSettings extends QueueOptions {
  /** False: the run's tensors are not watched (a warm-up, a self-test: see `RunOptions.monitor`). */
  readonly monitor?: boolean;
}

/** A ready session in the worker, with what the page was told about it. */
export class LoadedModel {
  readonly info: ModelInfo;
  readonly #chosen: ChosenSession;
  readonly #queue = new RequestQueue(() => this.#watching.flush());
  readonly #batcher: Batcher | undefined;
  /** Rejects once the session's device is lost, ending the run in flight (see `loseDevice`). */
  readonly #lost: Promise<never>;
  #loseDevice: (error: Error) => void = () => undefined;
  #lostError: Error | undefined;
  /** The `session.run` in flight, if any. */
  #running: Promise<unknown> | undefined;
  readonly #pipeline: Pipeline | undefined;
  readonly #state: RecurrentState | undefined;
  readonly #monitor: RunMonitor;
  /** Memory batches are stacked and images preprocessed into, used again from one run to the next. */
  readonly #scratch = new ScratchBuffers();
  /** Runs whose replies have gone, for the monitors to watch their inputs. */
  readonly #watching = new WatchLater();
  /** Told what the monitors found in a run's inputs, after its reply (the host sends it to the page). */
  onAnomalies: (anomalies: readonly Anomaly[]) => void = () => undefined;

  /**
   * With `batching`, concurrent requests are stacked into one run (the caller checked the model
   * allows it); with a `pipeline`, raw inputs are preprocessed and outputs postprocessed.
   */
  constructor(
    chosen: ChosenSession,
    info: ModelInfo,
    {
      batching,
      pipeline,
      monitor = new RunMonitor(),
    }: { batching?: BatchingOptions | undefined; pipeline?: Pipeline | undefined; monitor?: RunMonitor | undefined } = {},
  ) {
    this.#monitor = monitor;
    this.#chosen = chosen;
    this.info = info;
    this.#pipeline = pipeline;
    this.#state = pipeline?.state.length ? new RecurrentState(pipeline.state, info.inputs) : undefined;
    this.#batcher = batching && new Batcher(this.#queue, (feeds) => this.infer(feeds), batching, this.#scratch);
    this.#lost = new Promise<never>((_, reject) => {
      this.#loseDevice = reject;
    });
    this.#lost.catch(() => undefined);
  }

  /**
   * The WebGPU device under this session was lost: the run in flight and every queued one reject
   * with `error` at once (a run on a lost device may never settle); the host rebuilds the model.
   */
  loseDevice(error: Error): void {
    this.#lostError = error;
    this.#loseDevice(error);
    this.#batcher?.rejectAll(error);
    this.#queue.rejectAll(error);
  }

  /**
   * Runs the model once, when its turn in the queue comes (stacked with other requests when
   * batching is on); the reply's buffers are meant to be transferred to the page. The monitors
   * watch the outputs before the reply, while they are at hand, and the inputs once the reply
   * has gone (`WatchLater`): what they find there reaches `onAnomalies`.
   */
  async run(inputs: Inputs, options: RunSettings = {}): Promise<WorkerRunReply> {
    const received = performance.now();
    // The runs before this one are watched first, in order, and their memory is free again.
    this.#watching.flush();
    if (this.#lostError) throw this.#lostError;
    const runs = this.#pipeline ? await this.#pipeline.preprocess(inputs, this.#scratch) : [inputs as Feeds];
    let reply: WorkerRunReply;
    try {
      reply = await this.#runPrepared(runs, received, options);
    } catch (error) {
      this.#giveBack(runs);
      throw error;
    }
    if (options.monitor === false) this.#giveBack(runs);
    else this.#watching.add(() => this.#watchInputs(runs));
    return reply;
  }

  /** What the monitors find in a run's inputs, after its reply; their memory free again after. */
  #watchInputs(runs: readonly Feeds[]): void {
    try {
      const found: Anomaly[] = [];
      for (const feeds of runs) found.push(...this.#monitor.inputs(feeds));
      if (found.length > 0) this.onAnomalies(found);
    } finally {
      this.#giveBack(runs);
    }
  }

  /** Tensors preprocessing or stacking made in reused memory: free again once nothing reads them. */
  #giveBack(runs: readonly Feeds[]): void {
    for (const feeds of runs) this.#scratch.give(feeds);
  }

  async #runPrepared(runs: readonly Feeds[], received: number, options: RunSettings): Promise<WorkerRunReply> {
    const watched = options.monitor !== false;
    const preprocessMs = this.#pipeline ? performance.now() - received : 0;
    // Checked on the page too; checked again here because the worker is the last line before wasm.
    for (const feeds of runs) validateFeeds(this.#state ? this.#state.feed(feeds) : feeds, this.info.inputs);
    const queued = performance.now();
    const [single] = runs;
    const result: BatchedResult =
      this.#batcher && single && runs.length === 1
        ? await this.#batcher.submit(single, options)
        : await this.#queue.run(async () => {
            // Taken when its turn comes, before the session runs: the wait, not the wait and the run.
            const queueMs = performance.now() - queued;
            return { ...(await this.#inferAll(runs)), queueMs, batchSize: 1 };
          }, options);
    const { queueMs, prepareMs, inferenceMs, batchSize } = result;
    const postprocessStarted = performance.now();
    const outputs: Outputs = this.#pipeline ? this.#pipeline.postprocess(result.outputs) : result.outputs;
    const postprocessMs = this.#pipeline ? performance.now() - postprocessStarted : 0;
    // The outputs are watched now, before the reply takes their buffers; the inputs after it.
    const anomalies = watched ? this.#monitor.outputs(result.outputs, outputs) : [];
    return {
      outputs,
      ...(anomalies.length > 0 ? { anomalies } : {}),
      buffers: ownBuffers(outputs),
      timings: {
        preprocessMs,
        queueMs,
        prepareMs,
        inferenceMs,
        batchSize,
        postprocessMs,
        workerMs: performance.now() - received,
      },
    };
  }

  /**
   * Runs requests of one batch key (`batchKey`) as one request of all their rows: the page's run
   * coalescer sends the runs made in one task this way. They are stacked here, into memory used
   * again for the next batch; the outputs come back whole, for the page to split.
   */
  runStacked(parts: readonly Feeds[], options: RunSettings = {}): Promise<WorkerRunReply> {
    return this.run(stackFeeds(parts, this.#scratch), options); // `run` gives the memory back
  }

  /** Drops the queued run `id`; a run already started finishes, and the page ignores its result. */
  cancel(id: number): void {
    const error = new AbortError('The run was cancelled');
    if (!this.#batcher?.cancel(id, error)) this.#queue.cancel(id, error);
  }

  /**
   * Runs the session on each feeds in order (the frames of a clip), carrying the recurrent
   * state from one run to the next; outputs stacked when there are several, state outputs kept.
   */
  async #inferAll(runs: readonly Feeds[]): Promise<Inference> {
    const outputs: Tensors[] = [];
    let prepareMs = 0;
    let inferenceMs = 0;
    for (const feeds of runs) {
      const inference = await this.infer(this.#state ? this.#state.feed(feeds) : feeds);
      this.#state?.keep(inference.outputs);
      outputs.push(inference.outputs);
      prepareMs += inference.prepareMs;
      inferenceMs += inference.inferenceMs;
    }
    const stacked = stackRuns(outputs);
    for (const name of this.#state?.outputs ?? []) delete stacked[name];
    return { outputs: stacked, prepareMs, inferenceMs };
  }

  /** Starts the recurrent state over (zeros), for a new stream. */
  resetState(): void {
    this.#state?.reset();
  }

  /** Runs the session once on `feeds`, now: callers go through the queue. */
  async infer(feeds: Feeds): Promise<Inference> {
    const started = performance.now();
    const ortFeeds = toOrtFeeds(this.#chosen.ort, feeds);
    const prepared = performance.now();
    let results: Awaited<ReturnType<ChosenSession['session']['run']>>;
    try {
      const running = this.#chosen.session.run(ortFeeds);
      // After a device loss it settles late, if ever: nobody waits for it then.
      const settled = running.then(
        () => undefined,
        () => undefined,
      );
      this.#running = settled;
      void settled.then(() => {
        if (this.#running === settled) this.#running = undefined;
      });
      results = await Promise.race([running, this.#lost]);
    } catch (error) {
      if (isWebinferError(error)) throw error; // the device was lost
      const details = { model: this.info.id, backend: this.info.backend };
      if (isOutOfMemory(error)) throw outOfMemoryError('running the model', error, details);
      throw new ModelError(
        'inference-failed',
        `Inference failed on ${this.info.backend}: ${error instanceof Error ? error.message : String(error)}`,
        { details, cause: error },
      );
    }
    const finished = performance.now();
    return { outputs: fromOrtOutputs(results), prepareMs: prepared - started, inferenceMs: finished - prepared };
  }

  async release(): Promise<void> {
    await this.#chosen.session.release();
  }

  /**
   * Releases the session once its run in flight has settled. After a device loss that run may
   * never settle, and releasing under it was seen to hang onnxruntime-web for every later
   * session in the worker: better a session left unreleased than a worker that cannot load.
   */
  async releaseWhenSettled(): Promise<void> {
    await this.#running;
    await this.release().catch(() => undefined);
  }
}

/** The outputs' buffers, to transfer: each output owns its own (see `fromOrtOutputs`, `splitOutputs`). */
function ownBuffers(outputs: Outputs): ArrayBuffer[] {
  return Object.values(outputs).flatMap((output) =>
    output.type !== 'predictions' && ArrayBuffer.isView(output.data) ? [output.data.buffer as ArrayBuffer] : [],
  );
}
