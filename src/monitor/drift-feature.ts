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
 * One feature's sliding window against its reference bins. Both divergences are sums of one
 * term per bin, and once the window is full a sample changes two bins only (the one it lands
 * in, the one the oldest sample leaves), so they are kept up to date in O(1) per sample and
 * summed afresh only while the window fills, or every `capacity` samples to shed rounding.
 */
export class DriftFeature {
  readonly #window: BinWindow;
  readonly #expected: Float64Array;
  readonly #psiTerms: Float64Array;
  readonly #jsTerms: Float64Array;
  #psi = 0;
  #js = 0;
  /** Whether the terms describe the window as it is now. */
  #current = false;
  /** Samples since the sums were last made afresh. */
  #updates = 0;

  /** `proportions` (or counts) per bin, one more than `edges`; normalised here. */
  constructor(edges: readonly number[], proportions: readonly number[], capacity: number) {
    this.#window = new BinWindow(edges, capacity);
    const total = proportions.reduce((sum, share) => sum + share, 0);
    this.#expected = Float64Array.from(proportions, (share) => share / total);
    this.#psiTerms = new Float64Array(this.#expected.length);
    this.#jsTerms = new Float64Array(this.#expected.length);
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
    const window = this.#window;
    const filling = window.size < window.capacity;
    window.push(value);
    if (filling || !this.#current || ++this.#updates >= window.capacity) {
      this.#current = false;
      return;
    }
    const { added, evicted } = window.last;
    if (added === evicted) return;
    this.#update(added);
    this.#update(evicted);
  }

  /** The divergences of the window from the reference (0 for an empty window). */
  divergence(): FeatureDivergence {
    if (!this.#current) this.#recompute();
    return { psi: this.#psi, js: Math.max(0, this.#js), samples: this.#window.size };
  }

  #update(bin: number): void {
    const actual = this.#window.count(bin) / this.#window.size;
    const expected = this.#expected[bin] ?? 0;
    const psi = stabilityTerm(actual, expected);
    const js = jensenShannonTerm(actual, expected);
    this.#psi += psi - (this.#psiTerms[bin] ?? 0);
    this.#js += js - (this.#jsTerms[bin] ?? 0);
    this.#psiTerms[bin] = psi;
    this.#jsTerms[bin] = js;
  }

  #recompute(): void {
    const size = this.#window.size;
    this.#psi = 0;
    this.#js = 0;
    if (size > 0) {
      for (let bin = 0; bin < this.#expected.length; bin++) {
        const actual = this.#window.count(bin) / size;
        const expected = this.#expected[bin] ?? 0;
        this.#psiTerms[bin] = stabilityTerm(actual, expected);
        this.#jsTerms[bin] = jensenShannonTerm(actual, expected);
        this.#psi += this.#psiTerms[bin] ?? 0;
        this.#js += this.#jsTerms[bin] ?? 0;
      }
    }
    this.#current = size > 0;
    this.#updates = 0;
  }
}
