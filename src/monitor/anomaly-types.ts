/** Anomalies: what the worker's monitoring reports of a run, and the event the page gets. Type-only. */

/** Kinds of anomaly the worker watches for (see the manifest's `monitoring`). */
export type AnomalyKind =
  | 'non-finite'
  | 'out-of-range'
  | 'latency'
  | 'error-rate'
  | 'canary'
  | 'drift'
  | 'confidence-collapse'
  | 'accuracy-drop';

/** Something a run's inputs or outputs showed that the model's monitoring calls abnormal. */
export interface Anomaly {
  readonly kind: AnomalyKind;
  /** The input or output it was seen in; `(call)` for latency and error rate. */
  readonly tensor: string;
  readonly where: 'input' | 'output';
  readonly message: string;
  /** The figures: how many values, the range or threshold, the value seen. */
  readonly details: Readonly<Record<string, number | string>>;
}

/** `rt.on('anomaly')`: an anomaly, at most one per kind and tensor of a model every 10 s. */
export interface AnomalyEvent extends Anomaly {
  readonly model: string;
  readonly version: string;
  readonly backend: string;
  /** Epoch ms. */
  readonly at: number;
  /** Anomalies of the same kind and tensor left out since the last event (rate limit). */
  readonly suppressed: number;
}
