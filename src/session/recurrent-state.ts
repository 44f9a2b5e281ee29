import type { Feeds, Tensor, TensorInfo, Tensors } from '../types.js';

/** An input fed from an output of the previous run (see the manifest's `transforms.state`). */
export interface StateLink {
  readonly input: string;
  readonly output: string;
}

/**
 * A recurrent model's state, kept in the worker between runs: each linked input is fed the
 * last run's output (zeros before the first run and after `reset`), unless the caller gives it.
 */
export class RecurrentState {
  readonly #links: readonly StateLink[];
  readonly #inputs: ReadonlyMap<string, TensorInfo>;
  readonly #values = new Map<string, Tensor>();

  constructor(links: readonly StateLink[], inputs: readonly TensorInfo[]) {
    this.#links = links;
    this.#inputs = new Map(inputs.map((info) => [info.name, info]));
  }

  /** Names of the inputs the state feeds: callers may leave them out. */
  get inputs(): readonly string[] {
    return this.#links.map((link) => link.input);
  }

  /** Names of the outputs kept as state, not returned. */
  get outputs(): ReadonlySet<string> {
    return new Set(this.#links.map((link) => link.output));
  }

  /** `feeds` with each state input the caller left out. */
  feed(feeds: Feeds): Feeds {
    const fed: Record<string, Tensor> = { ...feeds };
    for (const { input } of this.#links) fed[input] ??= this.#values.get(input) ?? this.#zeros(input);
    return fed;
  }

  /** Keeps the state outputs of a run for the next. */
  keep(outputs: Tensors): void {
    for (const { input, output } of this.#links) {
      const value = outputs[output];
      if (value) this.#values.set(input, value);
    }
  }

  reset(): void {
    this.#values.clear();
  }

  #zeros(input: string): Tensor {
    const info = this.#inputs.get(input);
    // Symbolic dimensions (a batch) start at 1.
    const dims = (info?.dims ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    const size = dims.reduce((n, d) => n * d, 1);
    return { type: 'float32', data: new Float32Array(size), dims };
  }
}
