/** How many restarts a supervisor may make, and how long it waits before each. */
export interface RestartPolicy {
  /** Restarts allowed within `windowMs`; one more gives up. */
  readonly maxRestarts: number;
  readonly windowMs: number;
  /** Wait before the second restart in the window; doubles with each one after, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { maxRestarts: 5, windowMs: 60_000, baseDelayMs: 250, maxDelayMs: 5_000 };

/**
 * Restarts within a sliding window, as process supervisors count them (systemd's StartLimitBurst,
 * Erlang's intensity and period): the first restart is immediate, later ones back off with
 * jitter, and too many in the window mean something is broken for good.
 */
export class RestartBudget {
  readonly #policy: RestartPolicy;
  readonly #now: () => number;
  #restarts: number[] = [];

  constructor(policy: RestartPolicy = defaultRestartPolicy, now: () => number = () => performance.now()) {
    this.#policy = policy;
    this.#now = now;
  }

  /** The delay before the next restart, or undefined when the budget is spent. Counts the restart. */
  next(random: () => number = Math.random): number | undefined {
    const now = this.#now();
    this.#restarts = this.#restarts.filter((at) => now - at < this.#policy.windowMs);
    if (this.#restarts.length >= this.#policy.maxRestarts) return undefined;
    const recent = this.#restarts.length;
    this.#restarts.push(now);
    if (recent === 0) return 0;
    const ceiling = Math.min(this.#policy.maxDelayMs, this.#policy.baseDelayMs * 2 ** (recent - 1));
    return ceiling / 2 + (random() * ceiling) / 2;
  }

  /** Restarts counted in the current window. */
  get recent(): number {
    const now = this.#now();
    return this.#restarts.filter((at) => now - at < this.#policy.windowMs).length;
  }
}
