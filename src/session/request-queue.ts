import { nextTask } from '../lib/next-task.js';
import { type QueueOptions, WaitingList } from './waiting-list.js';

export type { QueueOptions } from './waiting-list.js';

/**
 * One model's requests, run one at a time, in `WaitingList` order: by priority, then arrival. A
 * session runs one call at a time anyway: onnxruntime-web's wasm `run` holds the worker's thread,
 * and concurrent runs on one WebGPU session were seen never to complete (DESIGN.md). A queued
 * request can be cancelled, and one still queued at its deadline is dropped with
 * `deadline-exceeded`; neither ever reaches the session.
 */
export class RequestQueue {
  readonly #waiting = new WaitingList<() => void>();
  readonly #betweenRuns: () => void;
  #busy = false;

  /** `betweenRuns`: work a run left for after its reply, done in the task between two runs. */
  constructor(betweenRuns: () => void = () => undefined) {
    this.#betweenRuns = betweenRuns;
  }

  /** Runs `task` when its turn comes; rejects without running it if cancelled or late. */
  run<T>(task: () => Promise<T>, options: QueueOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        task()
          .then(resolve, reject)
          .finally(async () => {
            // Still busy while the requests that arrived during this run are taken in.
            await nextTask();
            this.#betweenRuns();
            this.#busy = false;
            this.#next();
          });
      };
      if (this.#waiting.add(start, options, reject)) this.#next();
    });
  }

  /** Drops the queued request `id` with `error`; false when it is not waiting (running, or done). */
  cancel(id: number, error: Error): boolean {
    return this.#waiting.cancel(id, error);
  }

  /** Drops every waiting request with `error` (the session they wait for is gone). */
  rejectAll(error: Error): void {
    this.#waiting.rejectAll(error);
  }

  /** Requests waiting, not counting the one running. */
  get waiting(): number {
    return this.#waiting.size;
  }

  #next(): void {
    const start = this.#busy ? undefined : this.#waiting.shift();
    if (!start) return;
    this.#busy = true;
    start();
  }
}
