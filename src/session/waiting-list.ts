import { AbortError } from '../errors.js';
import type { Priority } from '../types.js';

/** Where a request waits, and until when. */
export interface QueueOptions {
  readonly priority?: Priority;
  /** Ms from now by which the request must have started, or it is dropped (at once when <= 0). */
  readonly deadlineMs?: number;
  /** Names the request for `cancel`. */
  readonly id?: number;
}

interface Entry<T> {
  readonly value: T;
  readonly rank: number;
  readonly id: number | undefined;
  readonly reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

const rank: Record<Priority, number> = { high: 0, normal: 1, low: 2 };

/**
 * Requests waiting for a session, as `RequestQueue` and `Batcher` both keep them: by priority
 * (`high`, `normal`, `low`), in arrival order within one. A request can be cancelled by its id,
 * and one still waiting at its deadline is dropped with `deadline-exceeded`; either way it
 * leaves the list and its `reject` is called, so it never reaches the session.
 */
export class WaitingList<T> {
  readonly #entries: Entry<T>[] = [];

  /** Adds `value`; false (and `reject` called) when it arrived past its deadline. */
  add(value: T, options: QueueOptions, reject: (error: Error) => void): boolean {
    const { deadlineMs } = options;
    if (deadlineMs !== undefined && deadlineMs <= 0) {
      reject(deadlineError(deadlineMs));
      return false;
    }
    const entry: Entry<T> = { value, rank: rank[options.priority ?? 'normal'], id: options.id, reject };
    if (deadlineMs !== undefined) {
      entry.timer = setTimeout(() => {
        if (this.#drop(entry)) entry.reject(deadlineError(deadlineMs));
      }, deadlineMs);
    }
    const at = this.#entries.findIndex((other) => other.rank > entry.rank);
    this.#entries.splice(at === -1 ? this.#entries.length : at, 0, entry);
    return true;
  }

  /** The waiting values, in the order they will be served. */
  values(): T[] {
    return this.#entries.map((entry) => entry.value);
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Takes `value` out to be served: its deadline no longer applies. False if it was not waiting. */
  remove(value: T): boolean {
    const entry = this.#entries.find((e) => e.value === value);
    return entry !== undefined && this.#drop(entry);
  }

  /** Takes the next value out to be served. */
  shift(): T | undefined {
    const entry = this.#entries[0];
    if (entry) this.#drop(entry);
    return entry?.value;
  }

  /** Drops the waiting request `id` with `error`; false when it is not waiting (running, or done). */
  cancel(id: number, error: Error): boolean {
    const entry = this.#entries.find((e) => e.id === id);
    if (!entry || !this.#drop(entry)) return false;
    entry.reject(error);
    return true;
  }

  /** Drops every waiting request with `error` (the session they wait for is gone). */
  rejectAll(error: Error): void {
    for (const entry of [...this.#entries]) {
      this.#drop(entry);
      entry.reject(error);
    }
  }

  #drop(entry: Entry<T>): boolean {
    const index = this.#entries.indexOf(entry);
    if (index === -1) return false;
    this.#entries.splice(index, 1);
    clearTimeout(entry.timer);
    return true;
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
