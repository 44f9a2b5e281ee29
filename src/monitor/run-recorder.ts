import type { RunTimings } from '../types.js';
import type { Histogram } from './histogram.js';
import type { HistogramName } from './metrics.js';

/** Calls kept as rows before they are folded into the histograms. */
const capacity = 64;
/** A row: queue, preprocess, inference, postprocess, total (ms). */
const width = 5;

/**
 * One series' calls into its run histograms. A call writes its five timings as a row and
 * allocates nothing; the rows are folded into the histograms 64 at a time, and whenever the
 * histograms are read (`fold`). Recording each call straight into five histograms was about
 * half of the page's 13–20 µs of bookkeeping per VAD call (P8: the call itself leaves the CPU's
 * caches cold); the fold does the same work for 64 calls in one warm loop. The first call after
 * a load is its own phase, recorded as it comes.
 */
export class RunRecorder {
  readonly #rows = new Float64Array(capacity * width);
  #count = 0;
  readonly #phases: readonly Histogram[];
  readonly #firstInference: Histogram;
  #firstPending = false;

  constructor(histograms: Readonly<Record<HistogramName, Histogram>>) {
    this.#phases = [histograms.queue, histograms.preprocess, histograms.inference, histograms.postprocess, histograms.total];
    this.#firstInference = histograms.firstInference;
  }

  /** A load finished: the next call is its first inference. */
  loaded(): void {
    this.#firstPending = true;
  }

  record(timings: RunTimings & { readonly roundTripMs: number }): void {
    if (this.#firstPending) {
      this.#firstInference.record(timings.roundTripMs / 1000);
      this.#firstPending = false;
    }
    const rows = this.#rows;
    const at = this.#count * width;
    rows[at] = timings.queueMs;
    rows[at + 1] = timings.preprocessMs;
    rows[at + 2] = timings.inferenceMs;
    rows[at + 3] = timings.postprocessMs;
    rows[at + 4] = timings.roundTripMs;
    if (++this.#count === capacity) this.fold();
  }

  /** Every row so far into the histograms (in seconds). */
  fold(): void {
    const rows = this.#rows;
    for (let phase = 0; phase < width; phase++) {
      const histogram = this.#phases[phase] as Histogram;
      for (let at = phase; at < this.#count * width; at += width) histogram.record((rows[at] as number) / 1000);
    }
    this.#count = 0;
  }
}
