import type { Anomaly, Feeds, Outputs, Tensor, Tensors } from '../types.js';
import type { Monitoring } from './schema.js';

const isFloat = (tensor: Tensor): tensor is Extract<Tensor, { type: 'float32' | 'float64' }> =>
  tensor.type === 'float32' || tensor.type === 'float64';

/**
 * The detectors a manifest's `monitoring` section sets up, run in the worker on each run's
 * tensors: a pass over float values (NaN and infinities; values outside the training range)
 * and a look at a classifier's top two scores. They report what they see; they never fail a run.
 */
export class RunMonitor {
  readonly #config: Monitoring;

  constructor(config: Monitoring = {}) {
    this.#config = config;
  }

  /** Inputs as fed (after preprocessing). */
  inputs(feeds: Feeds): Anomaly[] {
    return Object.entries(feeds).flatMap(([name, tensor]) => this.#values(name, 'input', tensor));
  }

  /** Outputs as the session made them, and after postprocessing (for confidence). */
  outputs(tensors: Tensors, outputs: Outputs): Anomaly[] {
    const found = Object.entries(tensors).flatMap(([name, tensor]) => this.#values(name, 'output', tensor));
    const confidence = this.#config.confidence && lowConfidence(this.#config.confidence, outputs);
    return confidence ? [...found, confidence] : found;
  }

  #values(name: string, where: 'input' | 'output', tensor: Tensor): Anomaly[] {
    if (!isFloat(tensor)) return [];
    const range = this.#config.ranges?.[name];
    const watchFinite = this.#config.nonFinite !== false;
    if (!watchFinite && !range) return [];
    let nonFinite = 0;
    let outside = 0;
    let worst = Number.NaN;
    const min = range?.min ?? Number.NEGATIVE_INFINITY;
    const max = range?.max ?? Number.POSITIVE_INFINITY;
    for (const value of tensor.data) {
      if (!Number.isFinite(value)) nonFinite++;
      else if (value < min || value > max) {
        outside++;
        if (!(Math.abs(value) <= Math.abs(worst))) worst = value;
      }
    }
    const found: Anomaly[] = [];
    if (watchFinite && nonFinite > 0) {
      found.push({
        kind: 'non-finite',
        tensor: name,
        where,
        message: `${nonFinite} of ${tensor.data.length} values of ${where} "${name}" are NaN or infinite`,
        details: { count: nonFinite, of: tensor.data.length },
      });
    }
    if (range && outside > 0) {
      found.push({
        kind: 'out-of-range',
        tensor: name,
        where,
        message: `${outside} of ${tensor.data.length} values of ${where} "${name}" are outside [${min}, ${max}] (e.g. ${worst})`,
        details: { count: outside, of: tensor.data.length, min, max, value: worst },
      });
    }
    return found;
  }
}

/** A top-1 score under `min`, or a top-two margin under `margin`, in any row of the output. */
function lowConfidence(config: NonNullable<Monitoring['confidence']>, outputs: Outputs): Anomaly | undefined {
  const output = outputs[config.output];
  if (!output) return undefined;
  const rows = output.type === 'predictions' ? output.data.map((row) => row.map((p) => p.score)) : scoreRows(output);
  const min = config.min ?? 0.5;
  const margin = config.margin ?? 0.1;
  for (const row of rows) {
    const [first = Number.NaN, second = Number.NEGATIVE_INFINITY] = [...row].sort((a, b) => b - a);
    if (first < min || first - second < margin) {
      return {
        kind: 'low-confidence',
        tensor: config.output,
        where: 'output',
        message: `output "${config.output}": top score ${first.toFixed(3)}, margin ${(first - second).toFixed(3)} (thresholds ${min}, ${margin})`,
        details: { top: first, margin: first - second, min, marginMin: margin },
      };
    }
  }
  return undefined;
}

function scoreRows(output: Outputs[string]): number[][] {
  if (output.type !== 'float32' && output.type !== 'float64') return [];
  const width = output.dims.at(-1) ?? output.data.length;
  if (width === 0) return [];
  return Array.from({ length: output.data.length / width }, (_, r) =>
    Array.from(output.data.subarray(r * width, (r + 1) * width)),
  );
}
