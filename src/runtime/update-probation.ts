/** How the first calls on a version swapped in are judged (see `UpdateOptions.rollback`). */
export interface ProbationSettings {
  /** Calls watched. */
  readonly runs: number;
  /** More than this share of them failing rolls back. */
  readonly maxErrorRate: number;
  /** More than this share of them with an anomaly rolls back. */
  readonly maxAnomalyRate: number;
}

export const defaultProbation: ProbationSettings = { runs: 50, maxErrorRate: 0.05, maxAnomalyRate: 0.2 };

export type Verdict = 'passed' | 'errors' | 'anomalies';

/**
 * The first `runs` calls on a version just swapped in, as a canary release watches its first
 * traffic. It fails as soon as more of them failed (or showed an anomaly) than the rate allows
 * over all `runs` — no later call can bring the rate back — and passes once `runs` calls ran.
 */
export class Probation {
  readonly version: string;
  readonly #settings: ProbationSettings;
  #runs = 0;
  #errors = 0;
  #anomalous = 0;

  constructor(version: string, settings: ProbationSettings) {
    this.version = version;
    this.#settings = settings;
  }

  /** Adds one call; its verdict once there is one. */
  add(failed: boolean): Verdict | undefined {
    this.#runs++;
    if (failed) this.#errors++;
    return this.#verdict();
  }

  /**
   * One of its calls showed anomalies: the worker's monitors tell so after the call's reply, so
   * the last call's may come after the verdict `passed`, and count for nothing.
   */
  addAnomalous(): Verdict | undefined {
    this.#anomalous++;
    return this.#verdict();
  }

  #verdict(): Verdict | undefined {
    const { runs, maxErrorRate, maxAnomalyRate } = this.#settings;
    if (this.#errors > maxErrorRate * runs) return 'errors';
    if (this.#anomalous > maxAnomalyRate * runs) return 'anomalies';
    return this.#runs >= runs ? 'passed' : undefined;
  }

  get figures(): { readonly runs: number; readonly errors: number; readonly anomalous: number } {
    return { runs: this.#runs, errors: this.#errors, anomalous: this.#anomalous };
  }
}
