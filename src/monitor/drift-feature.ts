import { BinWindows } from './bin-window.js';
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
 * One feature's sliding window (feature `index` of `windows`) against its reference bins. A
 * sample only moves the window's bin counts (a binary search over the edges and two counters:
 * what every run pays, for every feature); the divergences are summed from the counts when
 * asked, O(bins) with a logarithm a bin, which `DriftWatch` asks for every few samples, not
 * every one.
 */
export class DriftFeature {
  readonly #windows: BinWindows;
  readonly #index: number;
  /** Where this feature's bins start in `windows.counts`. */
  readonly #base: number;
  readonly #expected: Float64Array;
  /** ln of each bin's expected share (empty counted as `emptyBinProportion`), for PSI. */
  readonly #logExpected: Float64Array;

  /**
   * `proportions` (or counts) per bin, one more than the feature's edges; normalised here.
   * `windows`: the feature's window is its `index`; a feature alone gets windows of its own
   * from `DriftFeature.alone`.
   */
  constructor(proportions: readonly number[], windows: BinWindows, index: number) {
    this.#windows = windows;
    this.#index = index;
    this.#base = windows.binStart(index);
    const total = proportions.reduce((sum, share) => sum + share, 0);
    this.#expected = Float64Array.from(proportions, (share) => share / total);
    this.#logExpected = this.#expected.map((e) => Math.log(Math.max(e, emptyBinProportion)));
  }

  /** A feature with a window of `capacity` samples of its own. */
  static alone(edges: readonly number[], proportions: readonly number[], capacity: number): DriftFeature {
    return new DriftFeature(proportions, new BinWindows([edges], capacity), 0);
  }

  /** How many bins the reference has. */
  get bins(): number {
    return this.#expected.length;
  }

  /** How many samples the window holds. */
  get samples(): number {
    return this.#windows.size(this.#index);
  }

  push(value: number): void {
    this.#windows.push(this.#index, value);
  }

  /** One of the divergences alone (the judged one), 0 for an empty window. */
  measure(measure: 'psi' | 'js'): number {
    const size = this.samples;
    if (size === 0) return 0;
    if (measure === 'psi') return this.#psi(size);
    const { counts } = this.#windows;
    let sum = 0;
    for (let bin = 0; bin < this.#expected.length; bin++) {
      sum += jensenShannonTerm((counts[this.#base + bin] as number) / size, this.#expected[bin] as number);
    }
    // Rounding can leave JS a hair below zero for identical distributions.
    return Math.max(0, sum);
  }

  /** `stabilityTerm` summed over the bins, its logarithms from tables: ln(count / size) = ln count − ln size. */
  #psi(size: number): number {
    const { logCount, counts } = this.#windows;
    const logSize = logCount[size] as number;
    const base = this.#base;
    let sum = 0;
    for (let bin = 0; bin < this.#expected.length; bin++) {
      const count = counts[base + bin] as number;
      const actual = count === 0 ? emptyBinProportion : Math.max(count / size, emptyBinProportion);
      const logActual = count === 0 ? logEmpty : Math.max((logCount[count] as number) - logSize, logEmpty);
      const expected = Math.max(this.#expected[bin] as number, emptyBinProportion);
      sum += (actual - expected) * (logActual - (this.#logExpected[bin] as number));
    }
    return sum;
  }

  /** Both divergences of the window from the reference. */
  divergence(): FeatureDivergence {
    return { psi: this.measure('psi'), js: this.measure('js'), samples: this.samples };
  }
}
