/**
 * A latency histogram with fixed log-scale buckets, the same for every histogram webinfer
 * keeps, so that histograms merge by adding counts (across calls, pages, sessions, and in the
 * collector), as Prometheus histograms and OpenTelemetry's exponential histograms do. Bucket
 * `i` holds values up to `bounds[i]` seconds (and above `bounds[i - 1]`): from 50 µs to about
 * 2 min in steps of 2^(1/4) (a quantile read from them is within one step, 19 %, of the true
 * value, and much closer on smooth data), and one more bucket for anything larger.
 */
export const bucketBounds: readonly number[] = Array.from({ length: 86 }, (_, i) => 5e-5 * 2 ** (i / 4));

/** A histogram as it crosses to telemetry: its counts per bucket of `bucketBounds` (+ overflow). */
export interface HistogramSnapshot {
  readonly counts: readonly number[];
  readonly count: number;
  /** Seconds. */
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

export class Histogram {
  readonly #counts = new Array<number>(bucketBounds.length + 1).fill(0);
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  /** Records one value, in seconds; negative or non-finite values are ignored. */
  record(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    const bucket = bucketOf(seconds);
    this.#counts[bucket] = (this.#counts[bucket] as number) + 1;
    this.#count++;
    this.#sum += seconds;
    this.#min = Math.min(this.#min, seconds);
    this.#max = Math.max(this.#max, seconds);
  }

  /** Adds another histogram's counts (same buckets by construction). */
  merge(other: HistogramSnapshot): void {
    other.counts.forEach((n, i) => {
      this.#counts[i] = (this.#counts[i] ?? 0) + n;
    });
    this.#count += other.count;
    this.#sum += other.sum;
    this.#min = Math.min(this.#min, other.min);
    this.#max = Math.max(this.#max, other.max);
  }

  get count(): number {
    return this.#count;
  }

  /**
   * The value below which a fraction `q` of the recorded values lie, interpolated
   * geometrically inside its bucket and kept within the smallest and largest values seen;
   * NaN when empty.
   */
  quantile(q: number): number {
    if (this.#count === 0) return Number.NaN;
    const rank = q * this.#count;
    let below = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      const n = this.#counts[i] as number;
      if (n > 0 && below + n >= rank) {
        const lower = i === 0 ? Math.min(this.#min, bucketBounds[0] as number) : (bucketBounds[i - 1] as number);
        const upper = i < bucketBounds.length ? (bucketBounds[i] as number) : this.#max;
        const within = Math.min(1, Math.max(0, (rank - below) / n));
        const value = lower > 0 ? lower * (upper / lower) ** within : upper * within;
        return Math.min(this.#max, Math.max(this.#min, value));
      }
      below += n;
    }
    return this.#max;
  }

  snapshot(): HistogramSnapshot {
    return { counts: [...this.#counts], count: this.#count, sum: this.#sum, min: this.#min, max: this.#max };
  }
}

/** The bucket holding `seconds`: the first whose bound is at least it. */
export function bucketOf(seconds: number): number {
  if (seconds <= (bucketBounds[0] as number)) return 0;
  const i = Math.ceil(4 * Math.log2(seconds / 5e-5) - 1e-9);
  return Math.min(i, bucketBounds.length);
}
