import type { Beacon } from '../telemetry/beacon.js';
import type { BeaconStore } from './store.js';

interface Waiting {
  readonly beacon: Beacon;
  readonly done: (stored: boolean) => void;
  readonly failed: (error: unknown) => void;
}

/**
 * Batches from concurrent requests written together: each request waits at most `maxDelayMs`
 * (or until `maxBatches` wait) for one transaction that stores them all, and is answered only
 * once it has committed. One fsync covers hundreds of beacons, so an acknowledgement always
 * means "on disk" and the collector still takes thousands a second.
 */
export class GroupCommit {
  readonly #store: BeaconStore;
  readonly #maxDelayMs: number;
  readonly #maxBatches: number;
  #waiting: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(store: BeaconStore, { maxDelayMs = 5, maxBatches = 500 }: { maxDelayMs?: number; maxBatches?: number } = {}) {
    this.#store = store;
    this.#maxDelayMs = maxDelayMs;
    this.#maxBatches = maxBatches;
  }

  /** Resolves once `beacon` is committed: true if it was new, false if it had been stored before. */
  add(beacon: Beacon): Promise<boolean> {
    return new Promise((done, failed) => {
      this.#waiting.push({ beacon, done, failed });
      if (this.#waiting.length >= this.#maxBatches) this.flush();
      else this.#timer ??= setTimeout(() => this.flush(), this.#maxDelayMs);
    });
  }

  /** Commits whatever waits now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const waiting = this.#waiting;
    this.#waiting = [];
    if (waiting.length === 0) return;
    try {
      const stored = this.#store.insert(waiting.map((w) => w.beacon));
      for (const [i, w] of waiting.entries()) w.done(stored[i] === true);
    } catch (error) {
      for (const w of waiting) w.failed(error);
    }
  }
}
