import type Database from 'better-sqlite3';
import { mergeRunSlot, mergeVitalSlot, type RunSlot, type VitalSlot } from './rollup.js';

interface RunRow {
  readonly runs: number;
  readonly feedback_count: number;
  readonly feedback_correct: number;
  readonly errors: string;
  readonly histograms: string;
}

interface VitalRow {
  readonly good: number;
  readonly needs_improvement: number;
  readonly poor: number;
  readonly values: string;
}

/**
 * The rollup tables, `run_minutes` and `vital_minutes`, as rows and back: a group's slots added
 * into the rows already there (read, merged, written back, inside the group's transaction, so
 * a crash keeps rows and batches consistent).
 */
export class MinuteRows {
  readonly #getRun: Database.Statement<[string, string, string, number], RunRow>;
  readonly #putRun: Database.Statement<unknown[]>;
  readonly #getVital: Database.Statement<[string, number], VitalRow>;
  readonly #putVital: Database.Statement<unknown[]>;

  constructor(db: Database.Database) {
    this.#getRun = db.prepare('SELECT * FROM run_minutes WHERE model = ? AND version = ? AND backend = ? AND at = ?');
    this.#putRun = db.prepare('INSERT OR REPLACE INTO run_minutes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.#getVital = db.prepare('SELECT * FROM vital_minutes WHERE name = ? AND at = ?');
    this.#putVital = db.prepare('INSERT OR REPLACE INTO vital_minutes VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Adds slots keyed `[at, model, version, backend]` and `[at, vital]` (JSON) to their rows. */
  add(runs: ReadonlyMap<string, RunSlot>, vitals: ReadonlyMap<string, VitalSlot>): void {
    for (const [key, slot] of runs) {
      const [at, model, version, backend] = JSON.parse(key) as [number, string, string, string];
      const stored = this.#getRun.get(model, version, backend, at);
      if (stored) mergeRunSlot(slot, runSlotOf(stored));
      this.#putRun.run(
        at,
        model,
        version,
        backend,
        slot.runs,
        slot.feedbackCount,
        slot.feedbackCorrect,
        JSON.stringify(slot.errors),
        JSON.stringify(slot.histograms),
      );
    }
    for (const [key, slot] of vitals) {
      const [at, name] = JSON.parse(key) as [number, string];
      const stored = this.#getVital.get(name, at);
      if (stored) mergeVitalSlot(slot, vitalSlotOf(stored));
      this.#putVital.run(at, name, slot.good, slot.needsImprovement, slot.poor, JSON.stringify(slot.values));
    }
  }
}

export function runSlotOf(row: RunRow): RunSlot {
  return {
    runs: row.runs,
    feedbackCount: row.feedback_count,
    feedbackCorrect: row.feedback_correct,
    errors: JSON.parse(row.errors),
    histograms: JSON.parse(row.histograms),
  };
}

export function vitalSlotOf(row: VitalRow): VitalSlot {
  return { good: row.good, needsImprovement: row.needs_improvement, poor: row.poor, values: JSON.parse(row.values) };
}
