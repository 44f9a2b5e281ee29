import type { Anomaly, Feeds, Outputs, Tensor, Tensors } from '../types.js';
import { ConfidenceWatch } from './confidence-watch.js';
import { type DriftJudgement, DriftWatch, driftOptions } from './drift.js';
import type { Monitoring } from './schema.js';

const isFloat = (tensor: Tensor): tensor is Extract<Tensor, { type: 'float32' | 'float64' }> =>
  tensor.type === 'float32' || tensor.type === 'float64';

/**
 * The detectors a manifest's `monitoring` section sets up, run in the worker on each run's
 * tensors, one monitor per loaded model: a pass over float values (NaN and infinities; values
 * outside the training range), sliding windows of binned values against the reference (drift)
 * and of unsure rows of a classifier (confidence collapse). They report what they see; they
 * never fail a run.
 */
/** Runs without drift after which a drift episode is over (a window hovering at `warn` is one episode). */
const driftQuietRuns = 50;

export class RunMonitor {
  readonly #config: Monitoring;
  readonly #drift: ReadonlyMap<string, DriftWatch>;
  /**
   * The drift level last reported per tensor, and the runs since it was last seen: a drift is
   * reported as it starts or worsens, and starts anew after `driftQuietRuns` runs without it.
   */
  readonly #driftLevel = new Map<string, { level: DriftJudgement['level']; quiet: number }>();
  readonly #confidence: ConfidenceWatch | undefined;
  /** Bounds per tensor name and width (`#rangeOf`). */
  readonly #ranges = new Map<string, Map<number, ColumnRange | undefined>>();

  constructor(config: Monitoring = {}) {
    this.#config = config;
    const { reference = {}, ...options } = config.drift ?? {};
    const judged = driftOptions(options);
    this.#drift = new Map(Object.entries(reference).map(([name, bins]) => [name, new DriftWatch(bins, judged)]));
    this.#confidence = config.confidence && new ConfidenceWatch(config.confidence);
  }

  /** Inputs as fed (after preprocessing). */
  inputs(feeds: Feeds): Anomaly[] {
    const found: Anomaly[] = [];
    for (const name in feeds) this.#tensor(name, 'input', feeds[name] as Tensor, found);
    return found;
  }

  /** Outputs as the session made them, and after postprocessing (for confidence). */
  outputs(tensors: Tensors, outputs: Outputs): Anomaly[] {
    const found: Anomaly[] = [];
    for (const name in tensors) this.#tensor(name, 'output', tensors[name] as Tensor, found);
    const collapse = this.#confidence?.observe(outputs);
    if (collapse) found.push(collapse);
    return found;
  }

  /** What one tensor shows, pushed to `found`. */
  #tensor(name: string, where: 'input' | 'output', tensor: Tensor, found: Anomaly[]): void {
    this.#values(name, where, tensor, found);
    const drift = this.#drift.get(name);
    if (!drift) return;
    drift.observe(tensor);
    const judgement = drift.judge();
    const reported = this.#driftLevel.get(name);
    if (!judgement) {
      if (reported && ++reported.quiet >= driftQuietRuns) this.#driftLevel.delete(name);
      return;
    }
    // Once per episode: when the window crosses `warn`, and when it goes on to `alarm`.
    if (reported) reported.quiet = 0;
    if (reported?.level === judgement.level || reported?.level === 'alarm') return;
    this.#driftLevel.set(name, { level: judgement.level, quiet: 0 });
    found.push(driftAnomaly(name, where, judgement));
  }

  /** A tensor's bounds per column, made once per name and width (the last axis). */
  #rangeOf(name: string, dims: readonly number[]): ColumnRange | undefined {
    const ranges = this.#ranges.get(name);
    const width = dims.at(-1) ?? 1;
    if (ranges?.has(width)) return ranges.get(width);
    const range = columnRange(this.#config.ranges?.[name], dims);
    this.#ranges.set(name, (ranges ?? new Map()).set(width, range));
    return range;
  }

  #values(name: string, where: 'input' | 'output', tensor: Tensor, found: Anomaly[]): void {
    if (!isFloat(tensor)) return;
    const range = this.#config.ranges?.[name] && this.#rangeOf(name, tensor.dims);
    const watchFinite = this.#config.nonFinite !== false;
    if (!watchFinite && !range) return;
    let nonFinite = 0;
    let outside = 0;
    let worst = Number.NaN;
    let worstAt = 0;
    const { lows, highs } = range ?? unbounded;
    const width = lows.length;
    const data = tensor.data;
    // One pass, column by column, each with its bounds in locals (no index arithmetic per value).
    const rows = Math.floor(data.length / width);
    for (let column = 0; column < width; column++) {
      const low = lows[column] as number;
      const high = highs[column] as number;
      for (let i = column; i < rows * width; i += width) {
        const value = data[i] as number;
        if (value > low && value < high) continue; // the common case, and never NaN or ±∞
        if (!Number.isFinite(value)) nonFinite++;
        else if (value < low || value > high) {
          outside++;
          if (!(Math.abs(value) <= Math.abs(worst))) {
            worst = value;
            worstAt = column;
          }
        }
      }
    }
    if (watchFinite && nonFinite > 0) {
      found.push({
        kind: 'non-finite',
        tensor: name,
        where,
        message: `${nonFinite} of ${data.length} values of ${where} "${name}" are NaN or infinite`,
        details: { count: nonFinite, of: data.length },
      });
    }
    if (range && outside > 0) {
      const min = lows[worstAt] as number;
      const max = highs[worstAt] as number;
      const column = width > 1 ? { column: worstAt } : {};
      found.push({
        kind: 'out-of-range',
        tensor: name,
        where,
        message:
          `${outside} of ${data.length} values of ${where} "${name}" are outside their range ` +
          `(e.g. ${worst}${width > 1 ? ` in column ${worstAt}` : ''}, outside [${min}, ${max}])`,
        details: { count: outside, of: data.length, min, max, value: worst, ...column },
      });
    }
  }
}

/** Bounds per column (one for the whole tensor), or none. */
interface ColumnRange {
  readonly lows: readonly number[];
  readonly highs: readonly number[];
}

const unbounded: ColumnRange = { lows: [Number.NEGATIVE_INFINITY], highs: [Number.POSITIVE_INFINITY] };

/**
 * A manifest range as bounds per column; undefined when there is none, or when its columns do
 * not match the tensor's last axis (a range written for another shape judges nothing).
 */
function columnRange(
  range: NonNullable<Monitoring['ranges']>[string] | undefined,
  dims: readonly number[],
): ColumnRange | undefined {
  if (!range) return undefined;
  if (typeof range.min === 'number' && typeof range.max === 'number') return { lows: [range.min], highs: [range.max] };
  const lows = typeof range.min === 'number' ? [range.min] : range.min;
  const highs = typeof range.max === 'number' ? [range.max] : range.max;
  if (lows.length > 1 && dims.at(-1) !== lows.length) return undefined;
  return { lows, highs };
}

/** A drift judgement as an anomaly: the worst feature, both measures, the level reached. */
function driftAnomaly(name: string, where: 'input' | 'output', judgement: DriftJudgement): Anomaly {
  const { level, excess, feature, name: column, psi, js, samples, drifting, measure, warn, alarm } = judgement;
  const which = column === undefined ? `feature ${feature}` : `feature ${feature} ("${column}")`;
  const others = drifting > 1 ? ` (${drifting} features past ${warn})` : '';
  return {
    kind: 'drift',
    tensor: name,
    where,
    message:
      `${where} "${name}" ${which} has drifted from its reference over the last ${samples} samples: ` +
      `PSI ${psi.toFixed(3)}, JS ${js.toFixed(3)} bits; ${measure} ${excess.toFixed(3)} above chance, ` +
      `past its ${level} threshold ${level === 'alarm' ? alarm : warn}${others}`,
    details: {
      level,
      feature,
      ...(column === undefined ? {} : { name: column }),
      psi,
      js,
      excess,
      samples,
      drifting,
      measure,
      warn,
      alarm,
    },
  };
}
