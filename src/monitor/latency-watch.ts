import type { Anomaly } from '../types.js';

/** How a series of call latencies and outcomes is judged (defaults below). */
export interface WatchOptions {
  /** Weight of each new sample in the moving averages. */
  readonly alpha: number;
  /** Samples before any judgement. */
  readonly warmUp: number;
  /** A latency this many standard deviations above the mean (of log latency) is a spike... */
  readonly zThreshold: number;
  /**
   * ...when it is also this many times the typical latency. A steady model's log latency varies
   * so little that a call 20 % slower is 4 deviations out: measured on a small model in a busy
   * browser here, 4–5 % of calls were "spikes" without this floor.
   */
  readonly minRatio: number;
  /** A moving error rate above this is an anomaly. */
  readonly errorRate: number;
}

export const defaultWatch: WatchOptions = { alpha: 0.05, warmUp: 30, zThreshold: 4, minRatio: 2, errorRate: 0.2 };

/**
 * Latency spikes and error bursts of one model, from the calls the page sees: an exponentially
 * weighted mean and variance of log latency (latencies are log-normal-ish; a spike is judged on
 * its ratio, not its milliseconds) and of the failure rate. A spike does not move the averages
 * (so a burst stays visible); judgement starts after `warmUp` samples.
 */
export class LatencyWatch {
  readonly #options: WatchOptions;
  readonly #logMinRatio: number;
  #samples = 0;
  #mean = 0;
  #variance = 0;
  #calls = 0;
  #errors = 0;

  constructor(options: Partial<WatchOptions> = {}) {
    this.#options = { ...defaultWatch, ...options };
    this.#logMinRatio = Math.log(this.#options.minRatio);
  }

  /** A call that returned after `ms`: an anomaly when it is a spike. */
  latency(ms: number): Anomaly | undefined {
    this.#outcome(false);
    if (!(ms > 0)) return undefined;
    const x = Math.log(ms);
    const { alpha, warmUp, zThreshold } = this.#options;
    const sd = Math.sqrt(this.#variance);
    const z = sd > 0 ? (x - this.#mean) / sd : 0;
    if (this.#samples >= warmUp && z > zThreshold && x - this.#mean > this.#logMinRatio) {
      const typical = Math.exp(this.#mean);
      return {
        kind: 'latency',
        tensor: '(call)',
        where: 'output',
        message: `a call took ${ms.toFixed(1)} ms, ${(ms / typical).toFixed(1)}× the usual ${typical.toFixed(1)} ms (z = ${z.toFixed(1)})`,
        details: { ms, typicalMs: typical, z },
      };
    }
    if (this.#samples === 0) this.#mean = x;
    const delta = x - this.#mean;
    this.#mean += alpha * delta;
    this.#variance = (1 - alpha) * (this.#variance + alpha * delta * delta);
    this.#samples++;
    return undefined;
  }

  /** A call that failed: an anomaly when failures have become too frequent. */
  failure(code: string): Anomaly | undefined {
    this.#outcome(true);
    const rate = this.#errors;
    if (this.#calls < this.#options.warmUp || rate <= this.#options.errorRate) return undefined;
    return {
      kind: 'error-rate',
      tensor: '(call)',
      where: 'output',
      message: `about ${(rate * 100).toFixed(0)} % of recent calls failed (last: ${code})`,
      details: { rate, code },
    };
  }

  #outcome(failed: boolean): void {
    const { alpha } = this.#options;
    this.#errors = this.#calls === 0 ? Number(failed) : this.#errors + alpha * (Number(failed) - this.#errors);
    this.#calls++;
  }
}
