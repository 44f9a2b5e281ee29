import { BinWindow } from './bin-window.js';
import { emptyBinProportion, jensenShannonTerm } from './divergence.js';

const logEmpty = Math.log(emptyBinProportion);

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
  /** ln of each bin's expected share (empty counted as `emptyBinProportion`), for PSI. */
  readonly #logExpected: Float64Array;
  /** ln(k) for k samples in a bin, 0 ≤ k ≤ capacity: PSI without a logarithm per bin per judgement. */
  readonly #logCount: Float64Array;

  /** `proportions` (or counts) per bin, one more than `edges`; normalised here. */
  constructor(edges: readonly number[], proportions: readonly number[], capacity: number) {
    this.#window = new BinWindow(edges, capacity);
    const total = proportions.reduce((sum, share) => sum + share, 0);
    this.#expected = Float64Array.from(proportions, (share) => share / total);
    this.#logExpected = this.#expected.map((e) => Math.log(Math.max(e, emptyBinProportion)));
    this.#logCount = Float64Array.from({ length: capacity + 1 }, (_, k) => Math.log(k));
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
    if (measure === 'psi') return this.#psi(size);
    let sum = 0;
    for (let bin = 0; bin < this.#expected.length; bin++) {
      sum += jensenShannonTerm(this.#window.count(bin) / size, this.#expected[bin] as number);
    }
    // Rounding can leave JS a hair below zero for identical distributions.
    return Math.max(0, sum);
  }

  /** `stabilityTerm` summed over the bins, its logarithms from tables: ln(count / size) = ln count − ln size. */
  #psi(size: number): number {
    const logSize = this.#logCount[size] as number;
    let sum = 0;
    for (let bin = 0; bin < this.#expected.length; bin++) {
      const count = this.#window.count(bin);
      const actual = count === 0 ? emptyBinProportion : Math.max(count / size, emptyBinProportion);
      const logActual = count === 0 ? logEmpty : Math.max((this.#logCount[count] as number) - logSize, logEmpty);
      const expected = Math.max(this.#expected[bin] as number, emptyBinProportion);
      sum += (actual - expected) * (logActual - (this.#logExpected[bin] as number));
    }
    return sum;
  }

  /** Both divergences of the window from the reference. */
  divergence(): FeatureDivergence {
    return { psi: this.measure('psi'), js: this.measure('js'), samples: this.#window.size };
  }
}
