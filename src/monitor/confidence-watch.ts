import type { Anomaly, Outputs } from '../types.js';
import type { Monitoring } from './schema.js';

type ConfidenceConfig = NonNullable<Monitoring['confidence']>;

/** The defaults of the `confidence` section (see `monitoringSchema`). */
export const confidenceDefaults = { min: 0.5, margin: 0.1, window: 200, expected: 0.2 } as const;

/** Rows in the window before any judgement (or the whole window, if shorter). */
export const confidenceMinRows = 100;

/**
 * How unlikely a count of low-confidence rows must be, at the expected rate, to be a collapse.
 * Judged after every row over overlapping windows, the anomaly bench's clean streams crossed it
 * at 21 of 300,000 rows, and its collapsed classifier was seen after 31 to 100 rows.
 */
export const collapseOdds = 1e-4;

/**
 * Whether a row of scores is unsure: a top score under `min`, or the top two closer than
 * `margin`. Reads `scores[start]` to `scores[end - 1]` (the whole array by default) without
 * copying or sorting.
 *
 * @example
 * isLowConfidence([0.52, 0.48, 0], { min: 0.5, margin: 0.1 }); // true: margin 0.04
 */
export function isLowConfidence(
  scores: ArrayLike<number>,
  { min, margin, start = 0, end = scores.length }: { min: number; margin: number; start?: number; end?: number },
): boolean {
  return lowConfidence(scores, start, end, min, margin) !== undefined;
}

/** The top two scores of an unsure row (see {@link isLowConfidence}); undefined for a sure one. */
function lowConfidence(
  scores: ArrayLike<number>,
  start: number,
  end: number,
  min: number,
  margin: number,
): [number, number] | undefined {
  // The highest and second-highest score (NaN ranks lowest; a lone score's runner-up is -∞).
  let first = Number.NaN;
  let second = Number.NEGATIVE_INFINITY;
  for (let i = start; i < end; i++) {
    const score = scores[i] as number;
    if (!(score > second)) continue; // NaN, or no higher than the runner-up: changes nothing
    if (Number.isNaN(first) || score > first) {
      if (!Number.isNaN(first)) second = first;
      first = score;
    } else second = score;
  }
  return !(first >= min) || first - second < margin ? [first, second] : undefined;
}

/**
 * The smallest count of low-confidence rows among `rows` that a stream at rate `expected`
 * reaches with probability at most {@link collapseOdds} (the binomial upper tail, exact).
 */
export function collapseCount(rows: number, expected: number): number {
  if (expected <= 0) return 1;
  if (expected >= 1) return rows + 1;
  // Probabilities relative to the mode's, walked out both ways, so nothing underflows.
  const mode = Math.floor((rows + 1) * expected);
  const odds = expected / (1 - expected);
  const relative = new Float64Array(rows + 1);
  relative[mode] = 1;
  for (let k = mode; k < rows; k++) relative[k + 1] = ((relative[k] as number) * (rows - k) * odds) / (k + 1);
  for (let k = mode; k > 0; k--) relative[k - 1] = ((relative[k] as number) * k) / ((rows - k + 1) * odds);
  const total = relative.reduce((sum, p) => sum + p, 0);
  let tail = 0;
  for (let k = rows; k >= 0; k--) {
    tail += (relative[k] as number) / total;
    if (tail > collapseOdds) return k + 1;
  }
  return 0;
}

/**
 * A classifier whose confidence has collapsed: the share of unsure rows (see
 * {@link isLowConfidence}) among the output's last `window` rows, against the share the manifest
 * expects of this model (`expected`, which `webinfer manifest --samples` measures). One unsure row
 * is no anomaly — a real classifier has them all the time; a window holding more of them than
 * chance allows at the expected rate is. Judged once the window holds 100 rows.
 */
export class ConfidenceWatch {
  readonly #output: string;
  readonly #min: number;
  readonly #margin: number;
  readonly #expected: number;
  readonly #ring: Uint8Array;
  #next = 0;
  #rows = 0;
  #low = 0;
  /** The collapse count for the window's current length (it changes only while the window fills). */
  #bound = { rows: -1, count: 0 };

  constructor(config: ConfidenceConfig) {
    this.#output = config.output;
    this.#min = config.min ?? confidenceDefaults.min;
    this.#margin = config.margin ?? confidenceDefaults.margin;
    this.#expected = config.expected ?? confidenceDefaults.expected;
    this.#ring = new Uint8Array(config.window ?? confidenceDefaults.window);
  }

  /** Adds a run's rows of the watched output; an anomaly when the window shows a collapse. */
  observe(outputs: Outputs): Anomaly | undefined {
    const output = outputs[this.#output];
    if (!output) return undefined;
    let last: [number, number] | undefined;
    if (output.type === 'predictions') {
      for (const row of output.data) {
        const scores = row.map((p) => p.score);
        last = this.#row(scores, 0, scores.length) ?? last;
      }
    } else if (output.type === 'float32' || output.type === 'float64') {
      const width = output.dims.at(-1) ?? output.data.length;
      for (let start = 0; width > 0 && start + width <= output.data.length; start += width) {
        last = this.#row(output.data, start, start + width) ?? last;
      }
    }
    return this.#judge(last);
  }

  /** Counts one row in; its top two scores when it is unsure. */
  #row(scores: ArrayLike<number>, start: number, end: number): [number, number] | undefined {
    const unsure = lowConfidence(scores, start, end, this.#min, this.#margin);
    const low = unsure ? 1 : 0;
    const ring = this.#ring;
    if (this.#rows === ring.length) this.#low -= ring[this.#next] as number;
    else this.#rows++;
    ring[this.#next] = low;
    this.#low += low;
    this.#next = (this.#next + 1) % ring.length;
    return unsure;
  }

  #judge(last: [number, number] | undefined): Anomaly | undefined {
    const rows = this.#rows;
    if (rows < Math.min(confidenceMinRows, this.#ring.length)) return undefined;
    if (this.#bound.rows !== rows) this.#bound = { rows, count: collapseCount(rows, this.#expected) };
    if (this.#low < this.#bound.count) return undefined;
    const min = this.#min;
    const margin = this.#margin;
    const rate = this.#low / rows;
    const percent = (x: number) => `${(x * 100).toFixed(0)} %`;
    // The latest unsure row's scores, when this run had one: what "unsure" looked like.
    const [top = Number.NaN, second = Number.NaN] = last ?? [];
    const example = {
      ...(Number.isFinite(top) ? { top } : {}),
      ...(Number.isFinite(top - second) ? { margin: top - second } : {}),
    };
    return {
      kind: 'confidence-collapse',
      tensor: this.#output,
      where: 'output',
      message:
        `output "${this.#output}": ${percent(rate)} of the last ${rows} rows are unsure (top score under ${min} or ` +
        `top-two margin under ${margin}), where about ${percent(this.#expected)} is expected`,
      details: { rate, expected: this.#expected, rows, low: this.#low, ...example, min, marginMin: margin },
    };
  }
}
