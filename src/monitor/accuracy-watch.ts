import type { Anomaly } from '../types.js';
import type { FeedbackConfig } from './feedback-schema.js';

/** What one piece of feedback showed (see `runtime/result-log.ts`). */
export type Judged =
  | { readonly task: 'classification'; readonly count: number; readonly correct: number }
  | { readonly task: 'regression'; readonly absoluteErrors: readonly number[] };

const defaults = { tolerance: 0.05, window: 100 } as const;

/**
 * Online accuracy against what the model scored offline (`feedback.expected`): over the last
 * `window` judged rows (right or wrong; or absolute errors), once half of them are in, an
 * accuracy under `expected.accuracy − tolerance`, or a mean absolute error over
 * `expected.mae × (1 + tolerance)`, is an `accuracy-drop`: once when it goes below, again only
 * after it has come back.
 */
export class AccuracyWatch {
  readonly #config: FeedbackConfig;
  readonly #window: number;
  readonly #samples: number[] = [];
  #next = 0;
  #sum = 0;
  #alarmed = false;

  constructor(config: FeedbackConfig) {
    this.#config = config;
    this.#window = config.window ?? defaults.window;
  }

  add(judged: Judged, output: string): Anomaly | undefined {
    const samples =
      judged.task === 'regression'
        ? judged.absoluteErrors
        : Array.from({ length: judged.count }, (_, i) => (i < judged.correct ? 1 : 0));
    for (const sample of samples) this.#push(sample);
    const n = this.#samples.length;
    const expected = this.#config.expected;
    const tolerance = this.#config.tolerance ?? defaults.tolerance;
    if (!expected || n < this.#window / 2) return undefined;
    const mean = this.#sum / n;
    const low =
      judged.task === 'classification'
        ? expected.accuracy !== undefined && mean < expected.accuracy - tolerance
        : expected.mae !== undefined && mean > expected.mae * (1 + tolerance);
    if (!low) {
      this.#alarmed = false;
      return undefined;
    }
    if (this.#alarmed) return undefined;
    this.#alarmed = true;
    const figure = judged.task === 'classification' ? 'accuracy' : 'meanAbsoluteError';
    const wanted = judged.task === 'classification' ? expected.accuracy : expected.mae;
    return {
      kind: 'accuracy-drop',
      tensor: output,
      where: 'output',
      message: `${figure} ${mean.toFixed(3)} over the last ${n} judged rows of "${output}", expected ${wanted} (tolerance ${tolerance})`,
      details: { [figure]: mean, expected: wanted ?? Number.NaN, tolerance, samples: n },
    };
  }

  #push(sample: number): void {
    if (this.#samples.length < this.#window) {
      this.#samples.push(sample);
    } else {
      this.#sum -= this.#samples[this.#next] as number;
      this.#samples[this.#next] = sample;
      this.#next = (this.#next + 1) % this.#window;
    }
    this.#sum += sample;
  }
}
