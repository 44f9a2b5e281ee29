/**
 * The error family. Every error webinfer throws is a `WebinferError` with a literal `name` and a
 * `code` saying what went wrong; `details` carries the figures (the input, the expected and the
 * actual value, the URL, the status). Errors keep their class and code when they cross from the
 * worker to the page: see `serializeError` / `deserializeError`.
 */

/** Codes raised for bad feeds passed to `model.run`. */
export type InputErrorCode =
  | 'input-unknown'
  | 'input-missing'
  | 'input-dtype'
  | 'input-shape'
  | 'input-detached'
  | 'input-invalid'
  | 'result-unknown'
  | 'truth-invalid';

/** Codes raised while fetching a model. */
export type FetchErrorCode = 'http-status' | 'not-a-model' | 'network';

/** Codes raised for a manifest that is malformed, or unsigned or badly signed where a key is configured. */
export type ManifestErrorCode = 'manifest-invalid' | 'signature-invalid' | 'variant-unknown' | 'channel-unknown';

/** Codes raised when downloaded bytes are not the ones the manifest names. */
export type IntegrityErrorCode = 'integrity-mismatch';

/** Codes raised by the model cache in IndexedDB. */
export type StorageErrorCode = 'storage-unavailable' | 'storage-blocked' | 'quota-exceeded';

/** Codes raised by the model itself or by onnxruntime-web. */
export type ModelErrorCode = 'model-invalid' | 'inference-failed' | 'not-batchable' | 'out-of-memory' | 'canary-failed';

/**
 * Codes raised when no requested backend can run the model: `csp-blocked`, the worker's
 * Content-Security-Policy refuses WebAssembly (`details.directive` and `details.missing` say what to add).
 */
export type BackendErrorCode = 'backend-unavailable' | 'device-lost' | 'csp-blocked';

/**
 * Codes raised for calls made on a disposed model or a closed runtime, with bad options, a
 * rollback with no version before the current one, or a pin to a version not in the cache.
 */
export type StateErrorCode =
  | 'model-disposed'
  | 'runtime-closed'
  | 'invalid-options'
  | 'no-previous-version'
  | 'version-unavailable';

/** Codes raised when the worker cannot be reached. */
export type WorkerErrorCode =
  /** The worker could not start, or kept dying past its restart budget. */
  | 'worker-failed'
  /** The worker died (terminated, closed, crashed) while the call was pending; it is being restarted. */
  | 'worker-crashed'
  /** The worker stopped answering (a call past its timeout, or missed heartbeats) and was restarted. */
  | 'worker-unresponsive'
  /** This call ran past its timeout (`runTimeoutMs`); the worker was restarted. */
  | 'call-timeout'
  /** After a restart, the model could not be loaded again in the new worker. */
  | 'model-reload-failed';

export type ErrorCode =
  | InputErrorCode
  | FetchErrorCode
  | ManifestErrorCode
  | IntegrityErrorCode
  | StorageErrorCode
  | ModelErrorCode
  | BackendErrorCode
  | StateErrorCode
  | WorkerErrorCode
  | AbortErrorCode
  | 'internal';

/** Facts about a failure, safe to structured-clone across the worker boundary. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly unknown[]>>;

export interface WebinferErrorOptions {
  details?: ErrorDetails;
  cause?: unknown;
}

/**
 * Base class of every error webinfer throws.
 *
 * @example
 * try { await model.run(feeds); }
 * catch (e) { if (isWebinferError(e) && e.code === 'input-shape') showHint(e.details); }
 */
export class WebinferError extends Error {
  override readonly name: string = 'WebinferError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: WebinferErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** A feed had the wrong name, dtype or shape, was missing, or its buffer was detached. */
export class InputError extends WebinferError {
  override readonly name = 'InputError';
  declare readonly code: InputErrorCode;
  constructor(code: InputErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** The model could not be fetched, or what was fetched is not a model. */
export class FetchError extends WebinferError {
  override readonly name = 'FetchError';
  declare readonly code: FetchErrorCode;
  constructor(code: FetchErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** A manifest is malformed: the details name the field, the expected and the actual value. */
export class ManifestError extends WebinferError {
  override readonly name = 'ManifestError';
  declare readonly code: ManifestErrorCode;
  constructor(code: ManifestErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** Downloaded bytes do not match the size or SHA-256 the manifest names; nothing was used. */
export class IntegrityError extends WebinferError {
  override readonly name = 'IntegrityError';
  declare readonly code: IntegrityErrorCode;
  constructor(code: IntegrityErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** The model cache cannot be used: IndexedDB is missing, failing, or blocked by another tab. */
export class StorageError extends WebinferError {
  override readonly name = 'StorageError';
  declare readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** onnxruntime-web rejected the model or failed while running it. */
export class ModelError extends WebinferError {
  override readonly name = 'ModelError';
  declare readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** None of the requested backends could create a session; `details.attempts` says why each failed. */
export class BackendError extends WebinferError {
  override readonly name = 'BackendError';
  declare readonly code: BackendErrorCode;
  constructor(code: BackendErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** A call on a disposed model or closed runtime, or options that make no sense. */
export class StateError extends WebinferError {
  override readonly name = 'StateError';
  declare readonly code: StateErrorCode;
  constructor(code: StateErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** Refuses `actual` for the option `option` with a `StateError` `invalid-options` that says what it must be. */
export function refuse(option: string, expected: string, actual: unknown): never {
  throw new StateError('invalid-options', `${option} must be ${expected}, got ${JSON.stringify(actual)}`, {
    details: { option, expected, actual: String(actual) },
  });
}

/** The worker could not be started or stopped answering. */
export class WorkerError extends WebinferError {
  override readonly name = 'WorkerError';
  declare readonly code: WorkerErrorCode;
  constructor(code: WorkerErrorCode, message: string, options?: WebinferErrorOptions) {
    super(code, message, options);
  }
}

/** `aborted`: the caller's `AbortSignal` fired; `deadline-exceeded`: a run was still queued at its deadline. */
export type AbortErrorCode = 'aborted' | 'deadline-exceeded';

/** The caller's `AbortSignal` fired, or a request's deadline passed before it could start. */
export class AbortError extends WebinferError {
  override readonly name = 'AbortError';
  declare readonly code: AbortErrorCode;
  constructor(message = 'The operation was aborted', options?: WebinferErrorOptions & { code?: AbortErrorCode }) {
    super(options?.code ?? 'aborted', message, options);
  }
}

type Rebuild = (code: ErrorCode, message: string, options: WebinferErrorOptions) => WebinferError;

/** How each class is rebuilt from its serialized form. The code was checked by the class that made it. */
const rebuilders = {
  WebinferError: (code, message, options) => new WebinferError(code, message, options),
  InputError: (code, message, options) => new InputError(code as InputErrorCode, message, options),
  FetchError: (code, message, options) => new FetchError(code as FetchErrorCode, message, options),
  ManifestError: (code, message, options) => new ManifestError(code as ManifestErrorCode, message, options),
  IntegrityError: (code, message, options) => new IntegrityError(code as IntegrityErrorCode, message, options),
  StorageError: (code, message, options) => new StorageError(code as StorageErrorCode, message, options),
  ModelError: (code, message, options) => new ModelError(code as ModelErrorCode, message, options),
  BackendError: (code, message, options) => new BackendError(code as BackendErrorCode, message, options),
  StateError: (code, message, options) => new StateError(code as StateErrorCode, message, options),
  WorkerError: (code, message, options) => new WorkerError(code as WorkerErrorCode, message, options),
  AbortError: (code, message, options) => new AbortError(message, { ...options, code: code as AbortErrorCode }),
} as const satisfies Record<string, Rebuild>;

type ErrorName = keyof typeof rebuilders;

const errorNames: ReadonlySet<string> = new Set(Object.keys(rebuilders));

/**
 * True for any webinfer error, also one made in another realm (an iframe, or a copy of the
 * library bundled twice), where `instanceof` alone would say no.
 *
 * @example
 * if (isWebinferError(e)) console.warn(e.code, e.details);
 */
export function isWebinferError(value: unknown): value is WebinferError {
  if (value instanceof WebinferError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { name, code } = value as { name?: unknown; code?: unknown };
  return typeof name === 'string' && errorNames.has(name) && typeof code === 'string';
}

/** The plain-data form of an error, as it crosses `postMessage`. */
export interface SerializedError {
  readonly name: ErrorName;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: ErrorDetails;
  readonly stack?: string;
  readonly cause?: { readonly name: string; readonly message: string };
}

/** Turns any thrown value into plain data; non-webinfer errors become `internal` errors. */
export function serializeError(error: unknown): SerializedError {
  if (!isWebinferError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    const cause = describeCause(error);
    return { name: 'WebinferError', code: 'internal', message, details: {}, ...(cause ? { cause } : {}) };
  }
  const cause = describeCause(error.cause);
  return {
    name: error.name as ErrorName,
    code: error.code,
    message: error.message,
    details: error.details,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(cause ? { cause } : {}),
  };
}

function describeCause(cause: unknown): SerializedError['cause'] {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return { name: typeof cause, message: String(cause) };
}

/** Rebuilds the class of a serialized error, so `instanceof` and `code` work on the page. */
export function deserializeError(data: SerializedError): WebinferError {
  const options: WebinferErrorOptions = { details: data.details };
  if (data.cause) options.cause = data.cause;
  const rebuild: Rebuild = rebuilders[data.name] ?? rebuilders.WebinferError;
  const error = rebuild(data.code, data.message, options);
  if (data.stack) error.stack = data.stack;
  return error;
}
