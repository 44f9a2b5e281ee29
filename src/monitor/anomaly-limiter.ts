import type { Anomaly, AnomalyEvent } from '../types.js';
import { type MetricLabels, seriesKey } from './metrics.js';

/** The least time between two events of the same model, kind and tensor. */
export const anomalyIntervalMs = 10_000;

/**
 * Rate-limits anomalies into `anomaly` events: the first of each model, version, kind and tensor
 * at once, then at most one every `intervalMs`, carrying how many were left out meanwhile (a
 * NaN in every run of a busy model is one event every 10 s, not thousands).
 */
export class AnomalyLimiter {
  readonly #last = new Map<string, { at: number; suppressed: number }>();
  readonly #intervalMs: number;
  readonly #now: () => number;

  constructor({ intervalMs = anomalyIntervalMs, now = Date.now }: { intervalMs?: number; now?: () => number } = {}) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** The events to emit for `anomalies` of one run. */
  admit(labels: MetricLabels, anomalies: readonly Anomaly[]): AnomalyEvent[] {
    const events: AnomalyEvent[] = [];
    for (const anomaly of anomalies) {
      const key = [seriesKey(labels), anomaly.kind, anomaly.where, anomaly.tensor].join('\u0000');
      const at = this.#now();
      const last = this.#last.get(key);
      if (last && at - last.at < this.#intervalMs) {
        last.suppressed++;
        continue;
      }
      this.#last.set(key, { at, suppressed: 0 });
      events.push({ ...anomaly, ...labels, at, suppressed: last?.suppressed ?? 0 });
    }
    return events;
  }
}
