/** A deadline kept by `Deadlines`: `cancel` it once the work it guards is done. */
export interface Deadline {
  cancel(): void;
}

interface Entry {
  readonly at: number;
  readonly expire: () => void;
}

/**
 * Many deadlines on one timer, armed for the earliest: a call's timeout costs a set entry, not
 * a `setTimeout` and a `clearTimeout` (the two were ~8 % of the page's CPU per VAD call under
 * the profiler: `BENCH_PROFILE`). Calls made one after another under the same timeout each
 * end long before the timer fires, so it fires once per timeout at most, finds nothing
 * expired, and re-arms for the earliest deadline still waiting, if any.
 */
export class Deadlines {
  readonly #waiting = new Set<Entry>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (`performance.now()` time); infinite when it is not armed. */
  #armedFor = Infinity;

  /** Calls `expire` once `ms` have passed, unless the deadline is cancelled first. */
  add(ms: number, expire: () => void): Deadline {
    const entry: Entry = { at: performance.now() + ms, expire };
    this.#waiting.add(entry);
    if (entry.at < this.#armedFor) this.#arm(entry.at);
    return { cancel: () => this.#waiting.delete(entry) };
  }

  /** Cancels every deadline, and the timer. */
  clear(): void {
    this.#waiting.clear();
    this.#arm(Infinity);
  }

  /** The timer, set for `at` (not set for an infinite one). */
  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#armedFor = at;
    if (at === Infinity) return;
    this.#timer = setTimeout(() => this.#fire(), at - performance.now());
    // Node keeps a process alive while a timer is set; a deadline alone must not.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #fire(): void {
    const now = performance.now();
    for (const entry of this.#waiting) {
      if (entry.at > now) continue;
      this.#waiting.delete(entry);
      entry.expire(); // which may add deadlines, or clear them all
    }
    let next = Infinity;
    for (const entry of this.#waiting) next = Math.min(next, entry.at);
    this.#arm(next);
  }
}
