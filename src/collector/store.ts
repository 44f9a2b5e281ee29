import Database from 'better-sqlite3';
import type { Beacon } from '../telemetry/beacon.js';
import { MinuteRows } from './minute-rows.js';
import { addBeacon, type RunSlot, type VitalSlot } from './rollup.js';

/**
 * Where beacons are kept: one SQLite file (better-sqlite3) in WAL mode, so readers (the query
 * API, the dashboard) never block the writer; `busy_timeout` so a second writer on the same
 * file (another collector process) waits for the lock instead of failing; every insert in one
 * `BEGIN IMMEDIATE` transaction, taken for a whole group of batches; `synchronous = FULL`, so a
 * batch acknowledged is on disk (a crash of the machine, not only of the process, keeps it).
 *
 * Nothing that names a person is stored: no IP address, no user agent, no model input — the
 * beacon carries none, and the tables have no column for them (a test reads the schema).
 */
export interface StoreOptions {
  /** The SQLite file; created with its tables when missing. */
  readonly path: string;
  /** Days of data kept; `prune` deletes older rows. Default 30. */
  readonly retentionDays?: number;
  /** Ms a writer waits for another's lock before giving up. Default 5 000. */
  readonly busyTimeoutMs?: number;
}

const schema = `
CREATE TABLE IF NOT EXISTS batches (
  batch_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  sample_rate REAL NOT NULL,
  client TEXT NOT NULL,
  long_frames INTEGER NOT NULL,
  long_frames_during_inference INTEGER NOT NULL,
  blocking_ms REAL NOT NULL,
  blocking_ms_during_inference REAL NOT NULL,
  dropped_batches INTEGER NOT NULL,
  dropped_anomalies INTEGER NOT NULL,
  dropped_rejected INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS batches_received ON batches (received_at);
-- One row per minute, model version and backend: every beacon's figures of that minute added in (rollup.ts).
CREATE TABLE IF NOT EXISTS run_minutes (
  at INTEGER NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL, backend TEXT NOT NULL,
  runs INTEGER NOT NULL, feedback_count INTEGER NOT NULL, feedback_correct INTEGER NOT NULL,
  -- { "<error code>": count }
  errors TEXT NOT NULL,
  -- { "<phase>": { "buckets": { "<bucket index>": count }, "count": n, "sum": seconds } }
  histograms TEXT NOT NULL,
  PRIMARY KEY (model, version, backend, at)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS run_minutes_at ON run_minutes (at);
CREATE TABLE IF NOT EXISTS anomalies (
  batch_id TEXT NOT NULL, at INTEGER NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL, backend TEXT NOT NULL,
  kind TEXT NOT NULL, tensor TEXT NOT NULL, location TEXT NOT NULL, details TEXT NOT NULL, suppressed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS anomalies_model ON anomalies (model, version, at);
CREATE INDEX IF NOT EXISTS anomalies_at ON anomalies (at);
-- Versions swapped in (update) and given up (rollback) on pages.
CREATE TABLE IF NOT EXISTS transitions (
  batch_id TEXT NOT NULL, at INTEGER NOT NULL, model TEXT NOT NULL, kind TEXT NOT NULL,
  from_version TEXT NOT NULL, to_version TEXT NOT NULL, reason TEXT NOT NULL, in_flight INTEGER, prepared_ms INTEGER
);
CREATE INDEX IF NOT EXISTS transitions_model ON transitions (model, at);
CREATE INDEX IF NOT EXISTS transitions_at ON transitions (at);
-- One row per minute and web vital: counts by rating, values in the shared buckets.
CREATE TABLE IF NOT EXISTS vital_minutes (
  at INTEGER NOT NULL, name TEXT NOT NULL,
  good INTEGER NOT NULL, needs_improvement INTEGER NOT NULL, poor INTEGER NOT NULL,
  "values" TEXT NOT NULL,
  PRIMARY KEY (name, at)
) WITHOUT ROWID;
PRAGMA user_version = 1;
`;

/** Tables with an `at` column (ms), pruned by it. */
const timedTables = ['run_minutes', 'anomalies', 'vital_minutes', 'transitions'] as const;

export class BeaconStore {
  readonly #db: Database.Database;
  readonly #retentionMs: number;
  readonly #insertGroup: (beacons: readonly Beacon[], receivedAt: number) => boolean[];

  constructor({ path, retentionDays = 30, busyTimeoutMs = 5_000 }: StoreOptions) {
    this.#retentionMs = retentionDays * 86_400_000;
    const db = new Database(path);
    this.#db = db;
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(schema);
    const batch = db.prepare(
      `INSERT OR IGNORE INTO batches VALUES (@batchId, @sessionId, @seq, @sentAt, @receivedAt, @sampleRate, @client,
        @longFrames, @duringInference, @blockingMs, @blockingMsDuringInference, @droppedBatches, @droppedAnomalies, @droppedRejected)`,
    );
    const anomaly = db.prepare('INSERT INTO anomalies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const minutes = new MinuteRows(db);
    const transition = db.prepare('INSERT INTO transitions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertOne = (b: Beacon, receivedAt: number): boolean => {
      const { longFrames: lf, dropped } = b;
      const added = batch.run({
        batchId: b.batchId,
        sessionId: b.sessionId,
        seq: b.seq,
        sentAt: b.sentAt,
        receivedAt,
        sampleRate: b.sampleRate,
        client: b.client,
        longFrames: lf.count,
        duringInference: lf.duringInference,
        blockingMs: lf.blockingMs,
        blockingMsDuringInference: lf.blockingMsDuringInference,
        droppedBatches: dropped.batches,
        droppedAnomalies: dropped.anomalies,
        droppedRejected: dropped.rejected,
      });
      // Seen before (a retry, a second tab's copy): stored once, acknowledged again.
      if (added.changes === 0) return false;
      for (const a of b.anomalies) {
        anomaly.run(
          b.batchId,
          a.at,
          a.model,
          a.version,
          a.backend,
          a.kind,
          a.tensor,
          a.where,
          JSON.stringify(a.details),
          a.suppressed,
        );
      }
      for (const t of b.transitions ?? []) {
        transition.run(b.batchId, t.at, t.model, t.kind, t.from, t.to, t.reason, t.inFlight ?? null, t.preparedMs ?? null);
      }
      return true;
    };
    const group = db.transaction((beacons: readonly Beacon[], receivedAt: number) => {
      const runs = new Map<string, RunSlot>();
      const vitals = new Map<string, VitalSlot>();
      const added = beacons.map((beacon) => {
        const isNew = insertOne(beacon, receivedAt);
        if (isNew) addBeacon(beacon, runs, vitals);
        return isNew;
      });
      minutes.add(runs, vitals);
      return added;
    });
    this.#insertGroup = (beacons, receivedAt) => group.immediate(beacons, receivedAt);
  }

  /** Stores a group of batches in one transaction; for each, whether it was new (not a repeat). */
  insert(beacons: readonly Beacon[], receivedAt = Date.now()): boolean[] {
    return this.#insertGroup(beacons, receivedAt);
  }

  /** Deletes what is older than the retention window; returns the rows deleted. */
  prune(now = Date.now()): number {
    const cutoff = now - this.#retentionMs;
    let deleted = 0;
    this.#db
      .transaction(() => {
        for (const table of timedTables) deleted += this.#db.prepare(`DELETE FROM ${table} WHERE at < ?`).run(cutoff).changes;
        deleted += this.#db.prepare('DELETE FROM batches WHERE received_at < ?').run(cutoff).changes;
      })
      .immediate();
    return deleted;
  }

  /** Moves the WAL's pages into the database file without blocking readers or writers. */
  checkpoint(): void {
    this.#db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** The database, for queries (reads only). */
  get db(): Database.Database {
    return this.#db;
  }

  close(): void {
    this.#db.close();
  }
}
