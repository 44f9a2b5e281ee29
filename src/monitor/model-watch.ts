import { AbortError, InputError, isWebinferError, StateError } from '../errors.js';
import type { UpdateWatcher } from '../runtime/model-updates.js';
import type { Anomaly, ModelInfo, Outputs, RunTimings } from '../types.js';
import type { FeedbackConfig } from './feedback-schema.js';
import { ResultLog, type Truth } from './result-log.js';
import type { RuntimeObserver } from './run-observer.js';

/** What a watched call returned, as `Model` hands it over. */
interface Ran {
  readonly outputs: Outputs;
  readonly version: string;
  readonly timings: RunTimings & { readonly roundTripMs: number };
}

/**
 * One model's side of the page's monitoring, in the monitoring chunk with the observer: each
 * watched call's timings, anomalies and outcome into the runtime's metrics, events and the
 * update probation, its result remembered for `feedback`. Counted for the version that ran,
 * which a swap may have retired since.
 */
export class ModelWatch {
  readonly #observer: RuntimeObserver;
  readonly #updates: UpdateWatcher | undefined;
  readonly #results: ResultLog;
  readonly #feedback: FeedbackConfig;

  constructor(observer: RuntimeObserver, info: ModelInfo, updates: UpdateWatcher | undefined) {
    this.#observer = observer;
    this.#updates = updates;
    this.#results = new ResultLog(info.feedback, info.outputs);
    this.#feedback = info.feedback ?? {};
  }

  /**
   * A call that returned at `endedAt` (`performance.now()` time), with what the monitors saw in
   * its outputs; its result id.
   */
  ran(info: ModelInfo, result: Ran, anomalies: readonly Anomaly[] | undefined, endedAt: number): string {
    this.#observer.ran(versionOf(info, result.version), result.timings, endedAt);
    // Its outputs' anomalies before the call is counted: a probation judges the two together.
    if (anomalies) this.noticed(info, result.version, anomalies);
    this.#updates?.observe(result.version, false);
    return this.#results.remember(result.outputs);
  }

  /** A call that failed; the caller's mistakes and aborts say nothing about the model's version. */
  failed(info: ModelInfo, error: unknown): void {
    this.#observer.failed(info, isWebinferError(error) ? error.code : 'unknown');
    if (!(error instanceof InputError || error instanceof AbortError || error instanceof StateError)) {
      this.#updates?.observe(info.version, true);
    }
  }

  /** What the worker's monitors found in a run of `version`: its outputs' with its reply, its inputs' after. */
  noticed(info: ModelInfo, version: string, anomalies: readonly Anomaly[]): void {
    this.#observer.noticed(versionOf(info, version), anomalies);
    this.#updates?.noticed(version);
  }

  /** `model.feedback`: the remembered prediction judged against the truth. */
  feedback(info: ModelInfo, result: string | Outputs, truth: Truth): void {
    const judged = this.#results.judge(result, truth);
    const config = this.#feedback;
    this.#observer.judged(info, judged, config, config.output ?? info.outputs[0]?.name ?? '(output)');
  }
}

/** `info` for `version`, which ran, though a swap may have retired it since. */
function versionOf(info: ModelInfo, version: string): ModelInfo {
  return info.version === version ? info : { ...info, version };
}
