/**
 * webinfer: run ONNX models inside the browser, in a Web Worker, on WebGPU or WASM.
 * This file is the table of contents of the public API. onnxruntime-web is never imported from
 * here: it lives in the worker chunk.
 */

export {
  AbortError,
  BackendError,
  FetchError,
  InputError,
  IntegrityError,
  isWebinferError,
  ManifestError,
  ModelError,
  StateError,
  StorageError,
  WebinferError,
  WorkerError,
} from './errors.js';
export { createRuntime, Runtime } from './runtime/create-runtime.js';
export { Model } from './runtime/model.js';

// Left out on purpose: serializeError/deserializeError and the worker API are internal wiring.

export type { CachedModel } from './artifacts/store/model-store.js';
export type {
  AbortErrorCode,
  BackendErrorCode,
  ErrorCode,
  ErrorDetails,
  FetchErrorCode,
  InputErrorCode,
  IntegrityErrorCode,
  ManifestErrorCode,
  ModelErrorCode,
  StateErrorCode,
  StorageErrorCode,
  WorkerErrorCode,
} from './errors.js';
export type { FeedbackConfig } from './monitor/feedback-schema.js';
export type { HistogramSnapshot } from './monitor/histogram.js';
export type { FeedbackSummary, LoadPhase, MetricLabels, ModelMetrics, PhaseSummary, RunPhase } from './monitor/metrics.js';
export type { Truth } from './monitor/result-log.js';
export type { SupervisorSettings } from './runtime/check-options.js';
export type { LoadOptions, ModelCache, RuntimeMetrics, RuntimeOptions } from './runtime/create-runtime.js';
export type { RunOptions, RunResult } from './runtime/model.js';
export type { LoadSource } from './runtime/model-source.js';
export type { TelemetryOptions } from './runtime/telemetry-handle.js';
export type {
  RollbackEvent,
  UpdateCheckResult,
  UpdateEvent,
  UpdateOptions,
  UpdateTrigger,
} from './runtime/update-types.js';
export type { BatchingOptions } from './session/batcher.js';
export type {
  AnomalyRecord,
  Beacon,
  DroppedCounts,
  HistogramDelta,
  LongFrames,
  MetricsDelta,
  VitalRecord,
} from './telemetry/beacon.js';
export type { PageMetrics } from './telemetry/page-signals.js';
export type {
  Anomaly,
  AnomalyEvent,
  AnomalyKind,
  AudioInput,
  Backend,
  BackendAttempt,
  BackendChangeEvent,
  BatchingInfo,
  CacheOptions,
  CacheStatus,
  CanaryInfo,
  Detection,
  Detections,
  Feeds,
  ImageInput,
  Inputs,
  LoadProgress,
  LoadStage,
  LoadTimings,
  ModelInfo,
  Outputs,
  OutputValue,
  Prediction,
  Predictions,
  Priority,
  RawInput,
  ReloadedModel,
  RunTimings,
  RuntimeEvents,
  SingleThreadCause,
  TabularRow,
  Tensor,
  TensorDataMap,
  TensorInfo,
  Tensors,
  TensorType,
  Texts,
  TransformsInfo,
  VariantInfo,
  WorkerRestartEvent,
} from './types.js';
export type { CacheUsage } from './worker/api.js';
