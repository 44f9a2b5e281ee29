import { AbortError } from '../errors.js';
import { nextTask } from '../lib/next-task.js';
import type { Priority } from '../types.js';

const rank: Record<Priority, number> = { high: 0, normal: 1, low: 2 };

export interface QueueOptions {
  readonly priority?: Priority;
  /** Ms from now by which the request must have started, or it is dropped (at once when <= 0). */
  readonly deadlineMs?: number;
  /** Names the request for `cancel`. */
  readonly id?: number;
}

interface Waiting {
  readonly rank: number;
  readonly id: number | undefined;
  readonly start: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * One model's requests, run one at a time: by priority (`high`, `normal`, `low`), in arrival order
 * within a priority. A session runs one call at a time anyway: onnxruntime-web's wasm `run` holds
 * the worker's thread, and concurrent runs on one WebGPU session were seen never to complete
 * (DESIGN.md). A queued request can be cancelled, and one still queued at its deadline is dropped
 * with `deadline-exceeded`; neither ever reaches the session.
 */
export class RequestQueue {
  readonly #waiting: Waiting[] = [];
  #busy = false;

  /** Runs `task` when its turn comes; rejects without running it if cancelled or late. */
  run<T>(task: () => Promise<T>, options: QueueOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { deadlineMs, id } = options;
      if (deadlineMs !== undefined && deadlineMs <= 0) {
        reject(deadlineError(deadlineMs));
        return;
      }
      const entry: Waiting = {
        rank: rank[options.priority ?? 'normal'],
        id,
        start: () => {
          clearTimeout(entry.timer);
          task()
            .then(resolve, reject)
            .finally(async () => {
              // Still busy while the requests that arrived during this run are taken in.
              await nextTask();
              this.#busy = false;
              this.#next();
            });
        },
        reject: (error) => {
          clearTimeout(entry.timer);
          reject(error);
        },
        timer: deadlineMs === undefined ? undefined : setTimeout(() => this.#expire(entry, deadlineMs), deadlineMs),
      };
      const at = this.#waiting.findIndex((other) => other.rank > entry.rank);
      this.#waiting.splice(at === -1 ? this.#waiting.length : at, 0, entry);
      this.#next();
    });
  }

  /** Drops the queued request `id` with `error`; false when it is not waiting (running, or done). */
  cancel(id: number, error: Error): boolean {
    const entry = this.#waiting.find((waiting) => waiting.id === id);
    if (!entry || !this.#remove(entry)) return false;
    entry.reject(error);
    return true;
  }

  /** Drops every waiting request with `error` (the session they wait for is gone). */
  rejectAll(error: Error): void {
    for (const entry of this.#waiting.splice(0)) entry.reject(error);
  }

  /** Requests waiting, not counting the one running. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Drops `entry` if it still waits: it did not start within `deadlineMs`. */
  #expire(entry: Waiting, deadlineMs: number): void {
    if (this.#remove(entry)) entry.reject(deadlineError(deadlineMs));
  }

  #remove(entry: Waiting): boolean {
    const index = this.#waiting.indexOf(entry);
    if (index === -1) return false;
    this.#waiting.splice(index, 1);
    return true;
  }

  #next(): void {
    const entry = this.#busy ? undefined : this.#waiting.shift();
    if (!entry) return;
    this.#busy = true;
    entry.start();
  }
}

/** The error of a run dropped for its deadline: on arrival (`deadlineMs` <= 0), or while it waited. */
export function deadlineError(deadlineMs: number): AbortError {
  const message =
    deadlineMs <= 0
      ? `The run arrived ${-deadlineMs} ms after its deadline`
      : `The run was still queued at its deadline, ${deadlineMs} ms after it arrived`;
  return new AbortError(message, { code: 'deadline-exceeded', details: { deadlineMs } });
}
