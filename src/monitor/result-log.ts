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

/** Where `remember` notes a result's id on its outputs: a symbol, not enumerable (no copy, JSON or `toEqual` sees it). */
const resultIdKey = Symbol('webinfer.resultId');

/**
 * Every result's id, and, for a model whose feedback is on, what it predicted: a classifier's
 * top class per row, a regressor's values, kept for the last 1,000 results (not the outputs
 * themselves). `model.feedback(id or outputs, truth)` judges the prediction once. Per run: a
 * slot of a ring and a hidden property on the outputs, where a Map and a WeakMap cost ~2 µs
 * more (P8, monitoring's cost per call).
 */
export class ResultLog {
  readonly #config: FeedbackConfig | undefined;
  readonly #output: string | undefined;
  /** The last `maxResults` predictions, result `n` at `n % maxResults`. */
  readonly #ring: ({ readonly n: number; readonly summary: Summary } | undefined)[] = [];
  readonly #prefix = Math.random().toString(36).slice(2, 8);
  #next = 0;

  constructor(config: FeedbackConfig | undefined, outputs: readonly TensorInfo[]) {
    this.#config = config;
    this.#output = config && (config.output ?? outputs[0]?.name);
  }

  /** A new result's id, remembering what it predicted when feedback is on. */
  remember(outputs: Outputs): string {
    const n = ++this.#next;
    const id = `${this.#prefix}-${n}`;
    // With feedback off there is nothing to judge later: the id alone, no bookkeeping per run.
    if (this.#output === undefined) return id;
    Object.defineProperty(outputs, resultIdKey, { value: id });
    const summary = summarize(outputs[this.#output], this.#config?.task);
    if (summary) this.#ring[n % maxResults] = { n, summary };
    return id;
  }

  /** Judges a remembered prediction against the truth, and forgets it. */
  judge(result: string | Outputs, truth: Truth): Judged {
    const id = typeof result === 'string' ? result : (result as { [resultIdKey]?: string })[resultIdKey];
    const n = id?.startsWith(`${this.#prefix}-`) ? Number(id.slice(this.#prefix.length + 1)) : Number.NaN;
    const slot = Number.isInteger(n) ? this.#ring[n % maxResults] : undefined;
    const summary = slot?.n === n ? slot.summary : undefined;
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
    this.#ring[n % maxResults] = undefined;
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
    if (output.data.length > maxValues) return undefined;
    const values: number[] = [];
    for (let i = 0; i < output.data.length; i++) values.push(output.data[i] as number);
    return { task: 'regression', values };
  }
  const rows: { index: number }[] = [];
  for (let start = 0; start + width <= output.data.length; start += width) {
    let best = start;
    for (let i = start + 1; i < start + width; i++) if ((output.data[i] as number) > (output.data[best] as number)) best = i;
    rows.push({ index: best - start });
  }
  return { task: 'classification', rows };
}
