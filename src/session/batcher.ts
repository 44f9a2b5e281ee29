import type { Feeds, Priority, Tensors } from '../types.js';
import { batchKey, rowsOf, splitOutputs, stackFeeds } from './batch-feeds.js';
import type { RequestQueue } from './request-queue.js';
import type { ScratchBuffers } from './scratch-buffers.js';
import { type QueueOptions, WaitingList } from './waiting-list.js';

/** How requests are gathered into one run. */
export interface BatchingOptions {
  /** Rows in one run at most (a request brings the rows of its first dimension). */
  readonly maxBatch: number;
  /** How long the oldest waiting request may wait for others before its batch runs anyway. */
  readonly maxDelayMs: number;
}

/** What one request gets back from the batch it ran in. */
export interface BatchedResult {
  readonly outputs: Tensors;
  /** From the request's arrival to its batch starting. */
  readonly queueMs: number;
  readonly prepareMs: number;
  readonly inferenceMs: number;
  /** Requests that ran together, this one included. */
  readonly batchSize: number;
}

/** Runs stacked feeds once on the session. */
export type RunStacked = (feeds: Feeds) => Promise<{ outputs: Tensors; prepareMs: number; inferenceMs: number }>;

interface Waiting {
  readonly feeds: Feeds;
  readonly key: string;
  readonly rows: number;
  readonly arrived: number;
  readonly resolve: (result: BatchedResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Dynamic micro-batching, as TF Serving's batch scheduler does it: requests that arrive while the
 * session is busy, or within `maxDelayMs` of the oldest waiting one, are stacked along their first
 * dimension, run once, and split back. A batch takes its turn in the model's `RequestQueue` like a
 * single run; within it, requests go by priority, then arrival. Cancellation and deadlines apply
 * to a request until its batch starts.
 */
export class Batcher {
  readonly #queue: RequestQueue;
  readonly #run: RunStacked;
  readonly #options: BatchingOptions;
  readonly #waiting = new WaitingList<Waiting>();
  readonly #scratch: ScratchBuffers | undefined;
  /** Batch turns queued in the `RequestQueue` and not yet started. */
  #turns = 0;
  /** Ends the wait of a batch gathering requests, once it is full. */
  #gathered: (() => void) | undefined;

  /** `scratch`: memory to stack batches into, used again once each batch has run. */
  constructor(queue: RequestQueue, run: RunStacked, options: BatchingOptions, scratch?: ScratchBuffers) {
    this.#queue = queue;
    this.#run = run;
    this.#options = options;
    this.#scratch = scratch;
  }

  submit(feeds: Feeds, options: QueueOptions = {}): Promise<BatchedResult> {
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { feeds, key: batchKey(feeds), rows: rowsOf(feeds), arrived: performance.now(), resolve, reject };
      if (!this.#waiting.add(waiting, options, reject)) return;
      const [first] = this.#waiting.values();
      if (first && this.#rowsLike(first.key) >= this.#options.maxBatch) this.#gathered?.();
      this.#takeTurn(options.priority);
    });
  }

  /** Drops the waiting request `id`; false once its batch started. */
  cancel(id: number, error: Error): boolean {
    return this.#waiting.cancel(id, error);
  }

  /** Drops every waiting request with `error` (the session they wait for is gone). */
  rejectAll(error: Error): void {
    this.#waiting.rejectAll(error);
  }

  #takeTurn(priority: Priority | undefined): void {
    if (this.#turns > 0 || this.#waiting.size === 0) return;
    this.#turns++;
    const turn = this.#queue.run(() => this.#runBatch(), priority === undefined ? {} : { priority });
    turn.catch(() => undefined); // each request is settled by #runBatch itself
  }

  async #runBatch(): Promise<void> {
    this.#turns--;
    const [first] = this.#waiting.values();
    if (!first) return;
    const { maxBatch, maxDelayMs } = this.#options;
    const wait = first.arrived + maxDelayMs - performance.now();
    if (wait > 0 && this.#rowsLike(first.key) < maxBatch) {
      // Until the oldest request has waited maxDelayMs, or the batch is full.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.#gathered?.(), wait);
        this.#gathered = () => {
          clearTimeout(timer);
          this.#gathered = undefined;
          resolve();
        };
      });
    }
    const batch = this.#take();
    this.#takeTurn(undefined); // whatever is left, or arrives meanwhile, gets the next turn
    if (batch.length === 0) return;
    const started = performance.now();
    const stacked =
      batch.length === 1
        ? undefined
        : stackFeeds(
            batch.map((w) => w.feeds),
            this.#scratch,
          );
    try {
      const { outputs, prepareMs, inferenceMs } = await this.#run(stacked ?? (batch[0] as Waiting).feeds);
      const parts =
        batch.length === 1
          ? [outputs]
          : splitOutputs(
              outputs,
              batch.map((w) => w.rows),
            );
      for (const [i, w] of batch.entries()) {
        const timings = { queueMs: started - w.arrived, prepareMs, inferenceMs, batchSize: batch.length };
        w.resolve({ outputs: parts[i] as Tensors, ...timings });
      }
    } catch (error) {
      for (const w of batch) w.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      if (stacked) this.#scratch?.give(stacked);
    }
  }

  /** The next batch: the first waiting request and those of its kind after it, up to `maxBatch` rows. */
  #take(): Waiting[] {
    const [first] = this.#waiting.values();
    if (!first) return [];
    const batch: Waiting[] = [];
    let rows = 0;
    for (const w of this.#waiting.values()) {
      if (w.key !== first.key || (batch.length > 0 && rows + w.rows > this.#options.maxBatch)) continue;
      this.#waiting.remove(w);
      batch.push(w);
      rows += w.rows;
    }
    return batch;
  }

  #rowsLike(key: string): number {
    return this.#waiting.values().reduce((sum, w) => sum + (w.key === key ? w.rows : 0), 0);
  }
}
