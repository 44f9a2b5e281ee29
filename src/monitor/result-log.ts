import { InputError } from '../errors.js';
import type { Outputs, OutputValue, TensorInfo } from '../types.js';
import type { Judged } from './accuracy-watch.js';
import type { FeedbackConfig } from './feedback-schema.js';

/** What `model.feedback` takes as the truth: a class label or index, or a number; one per row, or one. */
export type Truth = string | number | readonly (string | number)[];

type Summary =
  | { readonly task: 'classification'; readonly rows: readonly { readonly index: number; readonly label?: string }[] }
  | { readonly task: 'regression'; readonly values: readonly number[] };

/** Results remembered for feedback, the oldest forgotten first. */
const maxResults = 1_000;
/** A regression output past this many values is not remembered (a map, not a prediction). */
const maxValues = 1_024;

/**
 * Every result's id, and, for a model whose feedback is on, what it predicted: a classifier's
 * top class per row, a regressor's values, kept for the last 1,000 results (not the outputs
 * themselves). `model.feedback(id or outputs, truth)` judges the prediction once.
 */
export class ResultLog {
  readonly #config: FeedbackConfig | undefined;
  readonly #output: string | undefined;
  readonly #remembered = new Map<string, Summary>();
  readonly #ids = new WeakMap<object, string>();
  readonly #prefix = Math.random().toString(36).slice(2, 8);
  #next = 0;

  constructor(config: FeedbackConfig | undefined, outputs: readonly TensorInfo[]) {
    this.#config = config;
    this.#output = config && (config.output ?? outputs[0]?.name);
  }

  /** A new result's id, remembering what it predicted when feedback is on. */
  remember(outputs: Outputs): string {
    const id = `${this.#prefix}-${++this.#next}`;
    // With feedback off there is nothing to judge later: the id alone, no bookkeeping per run.
    if (this.#output === undefined) return id;
    this.#ids.set(outputs, id);
    const summary = summarize(outputs[this.#output], this.#config?.task);
    if (summary) {
      this.#remembered.set(id, summary);
      if (this.#remembered.size > maxResults) this.#remembered.delete(this.#remembered.keys().next().value as string);
    }
    return id;
  }

  /** Judges a remembered prediction against the truth, and forgets it. */
  judge(result: string | Outputs, truth: Truth): Judged {
    const id = typeof result === 'string' ? result : this.#ids.get(result);
    const summary = id === undefined ? undefined : this.#remembered.get(id);
    if (!summary || id === undefined) {
      const why = this.#config
        ? `not among the last ${maxResults} results of this model, or already judged`
        : 'feedback is off for this model: declare monitoring.feedback in its manifest, or load it with { feedback: {} }';
      throw new InputError('result-unknown', `No prediction to judge for result ${JSON.stringify(id ?? null)}: ${why}`, {
        details: { result: id ?? null, expected: 'the resultId of a recent run, or its outputs' },
      });
    }
    const truths = Array.isArray(truth) ? truth : [truth];
    const rows = summary.task === 'classification' ? summary.rows.length : summary.values.length;
    if (truths.length !== rows) refuseTruth(truth, `${rows} value${rows === 1 ? '' : 's'}, one per predicted row`);
    const judged = judge(summary, truths, truth);
    this.#remembered.delete(id);
    return judged;
  }
}

function judge(summary: Summary, truths: readonly (string | number)[], truth: Truth): Judged {
  if (summary.task === 'regression') {
    return {
      task: 'regression',
      absoluteErrors: summary.values.map((value, i) => {
        const t = truths[i];
        if (typeof t !== 'number' || !Number.isFinite(t)) return refuseTruth(truth, 'finite numbers (a regression)');
        return Math.abs(value - t);
      }),
    };
  }
  let correct = 0;
  summary.rows.forEach((row, i) => {
    const t = truths[i];
    if (typeof t === 'number') correct += row.index === t ? 1 : 0;
    else if (typeof t === 'string' && row.label !== undefined) correct += row.label === t ? 1 : 0;
    else refuseTruth(truth, 'class indices, or labels where the output has them');
  });
  return { task: 'classification', count: summary.rows.length, correct };
}

function refuseTruth(truth: Truth, expected: string): never {
  throw new InputError('truth-invalid', `feedback truth ${JSON.stringify(truth)} does not fit: expected ${expected}`, {
    details: { expected, actual: JSON.stringify(truth) },
  });
}

/** A prediction as feedback judges it: the top class per row, or the values. */
function summarize(output: OutputValue | undefined, task: FeedbackConfig['task']): Summary | undefined {
  if (!output) return undefined;
  if (output.type === 'predictions') {
    return {
      task: 'classification',
      rows: output.data.map((row) => ({
        index: row[0]?.index ?? -1,
        ...(row[0]?.label === undefined ? {} : { label: row[0].label }),
      })),
    };
  }
  if (output.type !== 'float32' && output.type !== 'float64') return undefined;
  const width = output.dims.length >= 2 ? (output.dims.at(-1) ?? 1) : 1;
  if (task === 'regression' || (task === undefined && width === 1)) {
    return output.data.length <= maxValues ? { task: 'regression', values: Array.from(output.data) } : undefined;
  }
  const rows: { index: number }[] = [];
  for (let start = 0; start + width <= output.data.length; start += width) {
    let best = start;
    for (let i = start + 1; i < start + width; i++) if ((output.data[i] as number) > (output.data[best] as number)) best = i;
    rows.push({ index: best - start });
  }
  return { task: 'classification', rows };
}
