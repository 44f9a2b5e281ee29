import Database from 'better-sqlite3';
import { runPhases } from '../monitor/metrics.js';
import { runSlotOf, vitalSlotOf } from './minute-rows.js';
import {
  type BucketCounts,
  emptyRunSlot,
  emptyVitalSlot,
  entryOf,
  mergeRunSlot,
  mergeVitalSlot,
  quantileOf,
  slotMs,
  slotOf,
} from './rollup.js';

/** Which rows a query reads: a time window (ms, `from` inclusive), and optionally one model or model version. */
export interface Scope {
  readonly from: number;
  readonly to: number;
  readonly model?: string | undefined;
  readonly version?: string | undefined;
}

export interface Percentiles {
  readonly count: number;
  /** Seconds; null when nothing was recorded. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly mean: number | null;
}

/**
 * The query API's reads, over a read-only connection of its own (WAL: they never wait for the
 * writer). Figures come from the minute rollups; a window is widened to whole minutes.
 */
export class Queries {
  readonly #db: Database.Database;

  constructor(path: string) {
    this.#db = new Database(path, { readonly: true, fileMustExist: true });
  }

  /** Each model version seen in the window: calls, errors, anomalies, calls by backend, last minute seen. */
  models(scope: Scope) {
    const rows = this.#runRows(scope);
    const models = new Map<string, ReturnType<typeof modelEntry>>();
    for (const row of rows) {
      const entry = entryOf(models, JSON.stringify([row.model, row.version]), () => modelEntry(row.model, row.version));
      const slot = runSlotOf(row);
      entry.runs += slot.runs;
      entry.errors += sum(slot.errors);
      entry.backends[row.backend] = (entry.backends[row.backend] ?? 0) + slot.runs;
      entry.lastAt = Math.max(entry.lastAt, row.at);
    }
    const counted = this.#db
      .prepare(`SELECT model, version, count(*) AS n FROM anomalies WHERE ${where(scope)} GROUP BY model, version`)
      .all(...params(scope)) as { model: string; version: string; n: number }[];
    for (const { model, version, n } of counted) {
      const entry = models.get(JSON.stringify([model, version]));
      if (entry) entry.anomalies = n;
      else
        models.set(JSON.stringify([model, version]), {
          model,
          version,
          runs: 0,
          errors: 0,
          anomalies: n,
          backends: {},
          lastAt: 0,
        });
    }
    return [...models.values()].sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
  }

  /** Calls, errors and one phase's percentiles per window of `step` ms (a whole number of minutes). */
  latency(scope: Scope, phase: string, step: number) {
    const start = slotOf(scope.from);
    const windows = Array.from({ length: Math.max(1, Math.ceil((scope.to - start) / step)) }, () => emptyRunSlot());
    for (const row of this.#runRows(scope)) {
      const window = windows[Math.floor((row.at - start) / step)];
      if (window) mergeRunSlot(window, runSlotOf(row));
    }
    return windows.map((slot, i) => ({
      at: start + i * step,
      runs: slot.runs,
      errors: sum(slot.errors),
      ...percentiles(slot.histograms[phase]),
    }));
  }

  /** Every phase's percentiles over the window, run phases first. */
  phases(scope: Scope) {
    const total = emptyRunSlot();
    for (const row of this.#runRows(scope)) mergeRunSlot(total, runSlotOf(row));
    const order = (phase: string) => {
      const i = (runPhases as readonly string[]).indexOf(phase);
      return i < 0 ? runPhases.length : i;
    };
    return Object.entries(total.histograms)
      .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
      .map(([phase, counts]) => ({ phase, ...percentiles(counts) }));
  }

  /** Anomalies by kind over the window (rate-limited ones counted in), and the latest `limit`. */
  anomalies(scope: Scope, limit: number) {
    const byKind = Object.fromEntries(
      (
        this.#db
          .prepare(`SELECT kind, count(*) + sum(suppressed) AS n FROM anomalies WHERE ${where(scope)} GROUP BY kind`)
          .all(...params(scope)) as { kind: string; n: number }[]
      ).map(({ kind, n }) => [kind, n]),
    );
    const recent = (
      this.#db
        .prepare(
          `SELECT at, model, version, backend, kind, tensor, location, details, suppressed FROM anomalies
           WHERE ${where(scope)} ORDER BY at DESC LIMIT ?`,
        )
        .all(...params(scope), limit) as { location: string; details: string }[]
    ).map(({ location, details, ...rest }) => ({ ...rest, where: location, details: JSON.parse(details) as unknown }));
    return { byKind, recent };
  }

  /** Versions swapped in and given up on pages over the window, the newest first. */
  transitions(scope: Scope, limit: number) {
    const { model, version } = scope;
    const filters = [
      model === undefined ? '' : 'AND model = ?',
      version === undefined ? '' : 'AND ? IN (from_version, to_version)',
    ];
    return this.#db
      .prepare(
        `SELECT at, model, kind, from_version AS "from", to_version AS "to", reason, in_flight AS inFlight,
         prepared_ms AS preparedMs FROM transitions WHERE at >= ? AND at < ? ${filters.join(' ')} ORDER BY at DESC LIMIT ?`,
      )
      .all(slotOf(scope.from), scope.to, ...[model, version].filter((x) => x !== undefined), limit);
  }

  /** Each web vital over the window: its p75 (ms; CLS unitless) and counts by rating. */
  vitals(scope: Pick<Scope, 'from' | 'to'>) {
    const rows = this.#db
      .prepare('SELECT * FROM vital_minutes WHERE at >= ? AND at < ? ORDER BY name')
      .all(slotOf(scope.from), scope.to) as ({ name: string } & Parameters<typeof vitalSlotOf>[0])[];
    const byName = new Map<string, ReturnType<typeof emptyVitalSlot>>();
    for (const row of rows) {
      mergeVitalSlot(entryOf(byName, row.name, emptyVitalSlot), vitalSlotOf(row));
    }
    return [...byName].map(([name, slot]) => {
      const p75 = quantileOf(slot.values, 0.75);
      return {
        name,
        count: slot.values.count,
        p75: p75 === null || name === 'CLS' ? p75 : p75 * 1000,
        good: slot.good,
        needsImprovement: slot.needsImprovement,
        poor: slot.poor,
      };
    });
  }

  close(): void {
    this.#db.close();
  }

  #runRows(scope: Scope) {
    return this.#db.prepare(`SELECT * FROM run_minutes WHERE ${where(scope)}`).all(...params(scope)) as ({
      at: number;
      model: string;
      version: string;
      backend: string;
    } & Parameters<typeof runSlotOf>[0])[];
  }
}

function where(scope: Scope): string {
  return ['at >= ? AND at < ?', scope.model === undefined ? '' : 'model = ?', scope.version === undefined ? '' : 'version = ?']
    .filter(Boolean)
    .join(' AND ');
}

function params(scope: Scope): (string | number)[] {
  return [
    slotOf(scope.from),
    scope.to,
    ...(scope.model === undefined ? [] : [scope.model]),
    ...(scope.version === undefined ? [] : [scope.version]),
  ];
}

function percentiles(counts: BucketCounts | undefined): Percentiles {
  if (!counts || counts.count === 0) return { count: 0, p50: null, p95: null, p99: null, mean: null };
  return {
    count: counts.count,
    p50: quantileOf(counts, 0.5),
    p95: quantileOf(counts, 0.95),
    p99: quantileOf(counts, 0.99),
    mean: counts.sum / counts.count,
  };
}

const modelEntry = (model: string, version: string) => ({
  model,
  version,
  runs: 0,
  errors: 0,
  anomalies: 0,
  backends: {} as Record<string, number>,
  lastAt: 0,
});

const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** Minutes per window, so that a window of `from`–`to` has about `points` of them. */
export function defaultStep(from: number, to: number, points = 60): number {
  return Math.max(1, Math.ceil((to - from) / points / slotMs)) * slotMs;
}
