import { bucketBounds } from '../monitor/histogram.js';
import { loadPhases } from '../monitor/metrics.js';
import type { Beacon, VitalRecord } from '../telemetry/beacon.js';
import { Exposition } from './exposition.js';

/** Every 4th bound of the runtime's buckets: 50 µs · 2^k, k = 0…21 (to ~105 s), a factor 2 apart. */
export const durationBounds: readonly number[] = Array.from({ length: 22 }, (_, k) => 5e-5 * 2 ** k);

/**
 * A beacon's bucket `i` (values up to `bucketBounds[i]`; index 86 is above them all) in
 * `durationBounds`' buckets: the first bound at least as large, exactly (every 4th fine bound is
 * a coarse one), or +Inf past the last.
 */
export function coarseBucket(fine: number): number {
  if (fine >= bucketBounds.length) return durationBounds.length;
  return Math.min(Math.ceil(fine / 4), durationBounds.length);
}

/** Web-vitals buckets at their "good" and "poor" thresholds (seconds; CLS unitless). */
const vitalBuckets: Readonly<Record<VitalRecord['name'], { name: string; bounds: number[]; scale: number }>> = {
  LCP: { name: 'webinfer_web_vital_lcp_seconds', bounds: [2.5, 4], scale: 1e-3 },
  INP: { name: 'webinfer_web_vital_inp_seconds', bounds: [0.2, 0.5], scale: 1e-3 },
  FCP: { name: 'webinfer_web_vital_fcp_seconds', bounds: [1.8, 3], scale: 1e-3 },
  TTFB: { name: 'webinfer_web_vital_ttfb_seconds', bounds: [0.8, 1.8], scale: 1e-3 },
  CLS: { name: 'webinfer_web_vital_cls', bounds: [0.1, 0.25], scale: 1 },
};

/** Why a beacon was turned away, as `webinfer_beacons_rejected_total` labels it. */
export type RejectReason =
  | 'too-large'
  | 'bad-request'
  | 'unsupported-type'
  | 'schema'
  | 'origin'
  | 'token'
  | 'rate-limited'
  | 'busy';

/**
 * What `/metrics` shows: the stored beacons' figures (each batch counted once, when first
 * stored), and the collector's own counts of what it took and turned away. Labels are the
 * model, version and backend, and one bounded label per metric (phase, code, kind).
 */
export class CollectorMetrics {
  readonly #exposition = new Exposition();
  readonly #runDuration = this.#exposition.histogram('webinfer_run_duration_seconds', 'Model calls, by phase', durationBounds);
  readonly #loadDuration = this.#exposition.histogram('webinfer_load_duration_seconds', 'Model loads, by phase', durationBounds);
  readonly #runs = this.#exposition.counter('webinfer_runs_total', 'Model calls that returned');
  readonly #errors = this.#exposition.counter('webinfer_run_errors_total', 'Model calls that failed, by error code');
  readonly #anomalies = this.#exposition.counter(
    'webinfer_anomalies_total',
    'Anomalies reported, by kind (rate-limited ones included)',
  );
  readonly #feedback = this.#exposition.counter(
    'webinfer_feedback_rows_total',
    'Classifier rows judged by feedback, right or wrong',
  );
  readonly #vitals = Object.fromEntries(
    Object.entries(vitalBuckets).map(([vital, { name, bounds }]) => [
      vital,
      this.#exposition.histogram(name, `Web vital ${vital} of the pages that sent beacons`, bounds),
    ]),
  );
  readonly #longFrames = this.#exposition.counter(
    'webinfer_long_frames_total',
    'Long animation frames, during model calls or not',
  );
  readonly #updates = this.#exposition.counter(
    'webinfer_model_updates_total',
    'Versions swapped in on pages (version: the new one), by what found them',
  );
  readonly #rollbacks = this.#exposition.counter(
    'webinfer_model_rollbacks_total',
    'Versions given up on pages (version: the one given up), by reason',
  );
  readonly #singleThreadLoads = this.#exposition.counter(
    'webinfer_single_thread_loads_total',
    'Model loads whose session runs on one wasm thread though the app did not ask for one, by reason (not-isolated: the page lacks COOP/COEP)',
  );
  readonly #received = this.#exposition.counter('webinfer_beacons_received_total', 'Beacons stored');
  readonly #duplicates = this.#exposition.counter(
    'webinfer_beacons_duplicate_total',
    'Beacons acknowledged again without storing (seen before)',
  );
  readonly #rejected = this.#exposition.counter('webinfer_beacons_rejected_total', 'Beacons turned away, by reason');
  readonly #clientDropped = this.#exposition.counter('webinfer_client_dropped_total', 'Telemetry the clients dropped, by reason');

  /** A batch just stored for the first time. */
  stored(beacon: Beacon): void {
    this.#received.inc();
    for (const m of beacon.metrics) {
      const { model, version, backend } = m;
      // Label objects are written out, not spread: on Node 20 `{ ...labels, phase }` took ~1 µs
      // apiece, most of a beacon's ingest.
      this.#runs.inc({ model, version, backend }, m.runs);
      for (const [code, n] of Object.entries(m.errors)) this.#errors.inc({ model, version, backend, code }, n);
      // Loads are the `load` phase's count; the reason describes the series' session.
      if (m.singleThread) {
        this.#singleThreadLoads.inc({ model, version, backend, reason: m.singleThread }, m.histograms.load?.count ?? 0);
      }
      if (m.feedback) {
        this.#feedback.inc({ model, version, backend, correct: 'true' }, m.feedback.correct);
        this.#feedback.inc({ model, version, backend, correct: 'false' }, m.feedback.count - m.feedback.correct);
      }
      for (const [phase, delta] of Object.entries(m.histograms)) {
        if (phase === 'absoluteError') continue;
        const counts = delta.buckets.map(([i, n]) => [coarseBucket(i), n] as const);
        const histogram = (loadPhases as readonly string[]).includes(phase) ? this.#loadDuration : this.#runDuration;
        histogram.add({ model, version, backend, phase }, counts, delta.count, delta.sum);
      }
    }
    for (const a of beacon.anomalies) {
      this.#anomalies.inc({ model: a.model, version: a.version, backend: a.backend, kind: a.kind }, 1 + a.suppressed);
    }
    for (const t of beacon.transitions ?? []) {
      if (t.kind === 'update') this.#updates.inc({ model: t.model, version: t.to, reason: t.reason });
      else this.#rollbacks.inc({ model: t.model, version: t.from, reason: t.reason });
    }
    for (const v of beacon.vitals) this.#vitals[v.name]?.observe({}, v.value * (vitalBuckets[v.name]?.scale ?? 1));
    const { longFrames, dropped } = beacon;
    this.#longFrames.inc({ during_inference: 'true' }, longFrames.duringInference);
    this.#longFrames.inc({ during_inference: 'false' }, longFrames.count - longFrames.duringInference);
    for (const [reason, n] of Object.entries(dropped)) this.#clientDropped.inc({ reason }, n);
  }

  duplicate(): void {
    this.#duplicates.inc();
  }

  rejected(reason: RejectReason): void {
    this.#rejected.inc({ reason });
  }

  render(): string {
    return this.#exposition.render();
  }
}
