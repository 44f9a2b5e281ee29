import type { Tensor } from '../types.js';
import { BinWindows } from './bin-window.js';
import { DriftFeature, type FeatureDivergence } from './drift-feature.js';
import { type DriftConfig, type DriftReference, driftDefaults } from './drift-schema.js';

/** How a drift section judges its windows, defaults filled in. */
export interface DriftOptions {
  readonly window: number;
  readonly minSamples: number;
  readonly measure: 'psi' | 'js';
  readonly warn: number;
  readonly alarm: number;
}

/** The worst-drifted feature of a tensor, when it has crossed `warn`. */
export interface DriftJudgement extends FeatureDivergence {
  readonly level: 'warn' | 'alarm';
  /** The judged measure less what a window of this size shows by chance (see {@link chanceDivergence}). */
  readonly excess: number;
  /** The feature's index along the last axis (0 for `item-mean`), and its name if the reference gives one. */
  readonly feature: number;
  readonly name: string | undefined;
  /** How many of the tensor's features are at `warn` or past it. */
  readonly drifting: number;
  readonly measure: DriftOptions['measure'];
  readonly warn: number;
  readonly alarm: number;
}

/** The `drift` section's options, defaults filled in. */
export function driftOptions(config: Omit<DriftConfig, 'reference'> = {}): DriftOptions {
  return {
    window: config.window ?? driftDefaults.window,
    minSamples: config.minSamples ?? driftDefaults.minSamples,
    measure: config.measure ?? driftDefaults.measure,
    warn: config.warn ?? driftDefaults.warn,
    alarm: config.alarm ?? driftDefaults.alarm,
  };
}

/**
 * What `measure` averages on `samples` values drawn from the reference itself, in `bins` bins:
 * PSI is about χ²(bins − 1) / samples (it is the symmetric Kullback–Leibler divergence, whose
 * small-sample bias that is), JS in bits about an (8 ln 2)th of it. Raw PSI on a window of 100
 * values in 10 bins averages 0.09 with no drift at all, next to a warning threshold of 0.1;
 * judging the excess over this keeps thresholds meaning the same for any window, and is what
 * the raw index tends to as the window grows.
 */
export function chanceDivergence(measure: DriftOptions['measure'], bins: number, samples: number): number {
  const psi = (bins - 1) / samples;
  return measure === 'psi' ? psi : psi / (8 * Math.LN2);
}

/**
 * One tensor's drift: what a run gives of each feature (see `driftSchema` for what a sample is)
 * goes into that feature's sliding window, and the feature furthest from its reference is
 * judged. A tensor whose last axis does not match the reference's features is left alone.
 */
/**
 * Samples between two judgements. A window moves by one sample in `window` each time, so judging
 * every 8th costs a detection at most 7 samples, and spares every run the logarithms of every
 * bin of every feature (a 256-feature tensor: 64 µs a run judged every sample, 5 µs now).
 */
export const judgeEvery = 8;

export class DriftWatch {
  readonly #features: DriftFeature[];
  /** Every feature's window, side by side. */
  readonly #windows: BinWindows;
  readonly #names: (string | undefined)[];
  readonly #itemMean: boolean;
  readonly #options: DriftOptions;
  /** Samples (rows or items) seen, and when the last judgement was made. */
  #seen = 0;
  #judgedAt = Number.NEGATIVE_INFINITY;
  #judgement: DriftJudgement | undefined;

  constructor(reference: DriftReference, options: DriftOptions = driftOptions()) {
    this.#options = options;
    this.#itemMean = reference.sample === 'item-mean';
    this.#windows = new BinWindows(
      reference.features.map(({ edges }) => edges),
      options.window,
    );
    this.#features = reference.features.map(({ proportions }, i) => new DriftFeature(proportions, this.#windows, i));
    this.#names = reference.features.map((feature) => feature.name);
  }

  /** Adds a run's values of this tensor to the windows. */
  observe(tensor: Tensor): void {
    const values = plainValues(tensor);
    if (!values) return;
    if (this.#itemMean) this.#observeItems(values, tensor.dims);
    else this.#observeRows(values, tensor.dims);
  }

  /**
   * The feature that drifted most, if any feature with `minSamples` in its window exceeds what
   * chance gives by `warn` or more (`alarm`: by that much or more). Judged afresh once
   * {@link judgeEvery} samples have come since the last time (and as the windows reach
   * `minSamples`); in between, the last judgement stands.
   */
  judge(): DriftJudgement | undefined {
    const { minSamples, measure, warn, alarm } = this.#options;
    const justFilled = this.#judgedAt < minSamples && this.#seen >= minSamples;
    if (this.#seen - this.#judgedAt < judgeEvery && !justFilled) return this.#judgement;
    this.#judgedAt = this.#seen;
    let worstExcess = Number.NEGATIVE_INFINITY;
    let worstAt = -1;
    let drifting = 0;
    const features = this.#features;
    for (let i = 0; i < features.length; i++) {
      const feature = features[i] as DriftFeature;
      if (feature.samples < minSamples) continue;
      const excess = feature.measure(measure) - chanceDivergence(measure, feature.bins, feature.samples);
      if (excess < warn) continue;
      drifting++;
      if (excess > worstExcess) {
        worstExcess = excess;
        worstAt = i;
      }
    }
    const worst = this.#features[worstAt];
    this.#judgement = worst && {
      ...worst.divergence(),
      level: worstExcess >= alarm ? 'alarm' : 'warn',
      excess: worstExcess,
      feature: worstAt,
      name: this.#names[worstAt],
      drifting,
      measure,
      warn,
      alarm,
    };
    return this.#judgement;
  }

  #observeRows(values: ArrayLike<number>, dims: readonly number[]): void {
    const features = this.#features;
    const width = features.length;
    if (width > 1 && dims.at(-1) !== width) return;
    const rows = Math.floor(values.length / width);
    this.#seen += rows;
    // Row by row: a row's samples of every feature sit side by side in the windows.
    for (let row = 0; row < rows; row++) this.#windows.pushRow(values, row * width);
  }

  #observeItems(values: ArrayLike<number>, dims: readonly number[]): void {
    const items = dims.length === 0 ? 1 : (dims[0] as number);
    const per = items > 0 ? values.length / items : 0;
    const feature = this.#features[0];
    if (!feature || !Number.isInteger(per) || per === 0) return;
    this.#seen += items;
    for (let item = 0; item < items; item++) {
      let sum = 0;
      let count = 0;
      for (let i = item * per; i < (item + 1) * per; i++) {
        const value = values[i] as number;
        if (Number.isFinite(value)) {
          sum += value;
          count++;
        }
      }
      if (count > 0) feature.push(sum / count);
    }
  }
}

/** The values of a tensor that holds plain numbers: float16 (raw bits), 64-bit and bool are not binned. */
function plainValues(tensor: Tensor): ArrayLike<number> | undefined {
  switch (tensor.type) {
    case 'float32':
    case 'float64':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return tensor.data;
    default:
      return undefined;
  }
}
