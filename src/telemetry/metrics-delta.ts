import type { HistogramSnapshot } from '../monitor/histogram.js';
import { type ModelMetrics, seriesKey } from '../monitor/metrics.js';
import type { HistogramDelta, MetricsDelta } from './beacon.js';

interface Sent {
  readonly histograms: Readonly<Record<string, HistogramSnapshot>>;
  readonly errors: Readonly<Record<string, number>>;
  readonly runs: number;
  readonly judged: { readonly count: number; readonly correct: number };
}

/**
 * Turns the runtime's cumulative metrics into what changed since the last beacon: histogram
 * counts per bucket, runs, errors and judged predictions, so that the collector adds deltas up (as OpenTelemetry's
 * delta temporality does) and a lost beacon loses only its own share. Series with nothing new
 * are left out.
 */
export class MetricsDeltas {
  readonly #sent = new Map<string, Sent>();

  next(models: readonly ModelMetrics[]): MetricsDelta[] {
    const deltas: MetricsDelta[] = [];
    for (const now of models) {
      const key = seriesKey(now);
      const before = this.#sent.get(key);
      const judged = { count: now.feedback.count, correct: now.feedback.correct };
      this.#sent.set(key, { histograms: now.histograms, errors: now.errors, runs: now.runs, judged });
      const histograms: Record<string, HistogramDelta> = {};
      for (const [phase, snapshot] of Object.entries(now.histograms)) {
        const delta = histogramDelta(snapshot, before?.histograms[phase]);
        if (delta) histograms[phase] = delta;
      }
      const errors: Record<string, number> = {};
      for (const [code, n] of Object.entries(now.errors)) {
        const added = n - (before?.errors[code] ?? 0);
        if (added > 0) errors[code] = added;
      }
      const runs = now.runs - (before?.runs ?? 0);
      const feedback = {
        count: judged.count - (before?.judged.count ?? 0),
        correct: judged.correct - (before?.judged.correct ?? 0),
      };
      const changed = runs > 0 || feedback.count > 0 || Object.keys(histograms).length + Object.keys(errors).length > 0;
      if (!changed) continue;
      deltas.push({
        model: now.model,
        version: now.version,
        backend: now.backend,
        runs,
        errors,
        histograms,
        ...(feedback.count > 0 ? { feedback } : {}),
        ...(now.singleThread ? { singleThread: now.singleThread } : {}),
      });
    }
    return deltas;
  }
}

function histogramDelta(now: HistogramSnapshot, before: HistogramSnapshot | undefined): HistogramDelta | undefined {
  const count = now.count - (before?.count ?? 0);
  if (count <= 0) return undefined;
  const buckets: [number, number][] = [];
  now.counts.forEach((n, i) => {
    const added = n - (before?.counts[i] ?? 0);
    if (added > 0) buckets.push([i, added]);
  });
  return { buckets, count, sum: now.sum - (before?.sum ?? 0) };
}
