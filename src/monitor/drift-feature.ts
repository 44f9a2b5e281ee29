import { BinWindow } from './bin-window.js';
import { jensenShannonTerm, stabilityTerm } from './divergence.js';

/** How far one feature's recent values are from its reference. */
export interface FeatureDivergence {
  /** Population stability index. */
  readonly psi: number;
  /** Jensen–Shannon divergence, in bits. */
  readonly js: number;
  /** Samples in the window it was judged on. */
  readonly samples: number;
}

/**
 * One feature's sliding window against its reference bins. A sample only moves the window's
 * bin counts (a binary search over the edges and two counters: what every run pays, for every
 * feature); the divergences are summed from the counts when asked, O(bins) with a logarithm a
 * bin, which `DriftWatch` asks for every few samples, not every one.
 */
export class DriftFeature {
  readonly #window: BinWindow;
  readonly #expected: Float64Array;

  /** `proportions` (or counts) per bin, one more than `edges`; normalised here. */
  constructor(edges: readonly number[], proportions: readonly number[], capacity: number) {
    this.#window = new BinWindow(edges, capacity);
    const total = proportions.reduce((sum, share) => sum + share, 0);
    this.#expected = Float64Array.from(proportions, (share) => share / total);
  }

  /** How many bins the reference has. */
  get bins(): number {
    return this.#expected.length;
  }

  /** How many samples the window holds. */
  get samples(): number {
    return this.#window.size;
  }

  push(value: number): void {
    this.#window.push(value);
  }

  /** One of the divergences alone (the judged one), 0 for an empty window. */
  measure(measure: 'psi' | 'js'): number {
    const size = this.#window.size;
    if (size === 0) return 0;
    const term = measure === 'psi' ? stabilityTerm : jensenShannonTerm;
    let sum = 0;
    for (let bin = 0; bin < this.#expected.length; bin++) {
      sum += term(this.#window.count(bin) / size, this.#expected[bin] as number);
    }
    // Rounding can leave JS a hair below zero for identical distributions.
    return Math.max(0, sum);
  }

  /** Both divergences of the window from the reference. */
  divergence(): FeatureDivergence {
    return { psi: this.measure('psi'), js: this.measure('js'), samples: this.#window.size };
  }
}
