/** What the Node runner asks the bench page for, and what the page answers. Type-only. */

/** The two models every figure runs on. */
export type ModelName = 'vad' | 'heavy';

/** One task, run in a fresh page so that no task pollutes another. */
export type BenchTask =
  | {
      readonly kind: 'p2';
      readonly model: ModelName;
      readonly warmup: number;
      readonly runs: number;
      /** The steady sample starts once this long has passed since the load, calls running all along. */
      readonly steadyAfterMs: number;
    }
  | { readonly kind: 'p3-webinfer' | 'p3-main-thread'; readonly model: ModelName; readonly runs: number }
  | { readonly kind: 'echo'; readonly model: ModelName; readonly warmup: number; readonly runs: number }
  | { readonly kind: 'p1'; readonly model: ModelName; readonly runs: number };

/** Per-call timings of `model.runDetailed`, one array entry per measured call. */
export interface P2Samples {
  readonly roundTripMs: number[];
  readonly inferenceMs: number[];
  readonly workerMs: number[];
  readonly prepareMs: number[];
  readonly queueMs: number[];
}

/**
 * Two samples of the same model: `early` right after the warm-up calls, while V8 is still
 * compiling hot wasm functions in the background, and `steady` once `steadyAfterMs` has passed.
 */
export interface P2Result {
  readonly kind: 'p2';
  readonly crossOriginIsolated: boolean;
  readonly threads: number;
  readonly backend: string;
  readonly early: P2Samples;
  readonly steady: P2Samples;
  /** Calls made before the steady sample, warm-up and early sample included. */
  readonly callsBeforeSteady: number;
}

/** Long tasks on the page's main thread while loading a model and running it. */
export interface P3Result {
  readonly kind: 'p3-webinfer' | 'p3-main-thread';
  readonly crossOriginIsolated: boolean;
  readonly threads: number;
  readonly loadMs: number;
  readonly runMs: number[];
  readonly longTasks: { readonly startTime: number; readonly duration: number }[];
}

/**
 * The messaging floor: round trips to a worker that only echoes the same feeds back, by raw
 * `postMessage` and through Comlink, with nothing of webinfer in between.
 */
export interface EchoResult {
  readonly kind: 'echo';
  readonly rawMs: number[];
  readonly comlinkMs: number[];
}

/** Warm starts (cached load → ready, fresh runtime each) against session create from memory in a fresh worker. */
export interface P1Result {
  readonly kind: 'p1';
  readonly webinferMs: number[];
  readonly baselineMs: number[];
  /** `model.info.cache.state` of each warm start: all must be `hit`. */
  readonly cacheStates: string[];
}

export type BenchResult = P2Result | P3Result | EchoResult | P1Result;

/** What the page installs on `window` for the runner to call with `page.evaluate`. */
export type BenchEntry = (task: BenchTask) => Promise<BenchResult>;
