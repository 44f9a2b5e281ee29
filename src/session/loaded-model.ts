import { AbortError, ModelError } from '../errors.js';
import type { Feeds, ModelInfo } from '../types.js';
import type { RunReply } from '../worker/api.js';
import type { ChosenSession } from './create-session.js';
import { type QueueOptions, RequestQueue } from './request-queue.js';
import { fromOrtOutputs, toOrtFeeds } from './tensors.js';
import { validateFeeds } from './validate-feeds.js';

/** A ready session in the worker, with what the page was told about it. */
export class LoadedModel {
  readonly info: ModelInfo;
  readonly #chosen: ChosenSession;
  readonly #queue = new RequestQueue();

  constructor(chosen: ChosenSession, info: ModelInfo) {
    this.#chosen = chosen;
    this.info = info;
  }

  /**
   * Runs the model once, when its turn in the queue comes; the reply's buffers are meant to be
   * transferred to the page.
   */
  async run(feeds: Feeds, options: QueueOptions = {}): Promise<RunReply & { buffers: ArrayBuffer[] }> {
    const received = performance.now();
    // Checked on the page too; checked again here because the worker is the last line before wasm.
    validateFeeds(feeds, this.info.inputs);
    const execute = async () => {
      const started = performance.now();
      const ortFeeds = toOrtFeeds(this.#chosen.ort, feeds);
      const prepared = performance.now();
      let results: Awaited<ReturnType<ChosenSession['session']['run']>>;
      try {
        results = await this.#chosen.session.run(ortFeeds);
      } catch (error) {
        throw new ModelError(
          'inference-failed',
          `Inference failed on ${this.info.backend}: ${error instanceof Error ? error.message : String(error)}`,
          {
            details: { model: this.info.id, backend: this.info.backend },
            cause: error,
          },
        );
      }
      const finished = performance.now();
      const { outputs, buffers } = fromOrtOutputs(results);
      return {
        outputs,
        buffers,
        timings: {
          queueMs: started - received,
          prepareMs: prepared - started,
          inferenceMs: finished - prepared,
          workerMs: performance.now() - received,
        },
      };
    };
    return this.#queue.run(execute, options);
  }

  /** Drops the queued run `id`; a run already started finishes, and the page ignores its result. */
  cancel(id: number): void {
    this.#queue.cancel(id, new AbortError('The run was cancelled'));
  }

  async release(): Promise<void> {
    await this.#chosen.session.release();
  }
}
