import Database from 'better-sqlite3';
import type { Beacon } from '../telemetry/beacon.js';

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
CREATE TABLE IF NOT EXISTS runs (
  batch_id TEXT NOT NULL, at INTEGER NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL, backend TEXT NOT NULL,
  runs INTEGER NOT NULL, feedback_count INTEGER NOT NULL, feedback_correct INTEGER NOT NULL,
  -- { "<phase>": { "buckets": [[index, count]…], "count": n, "sum": seconds } }, as the beacon has it
  histograms TEXT NOT NULL,
  -- { "<error code>": count }
  errors TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_model ON runs (model, version, at);
CREATE TABLE IF NOT EXISTS anomalies (
  batch_id TEXT NOT NULL, at INTEGER NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL, backend TEXT NOT NULL,
  kind TEXT NOT NULL, tensor TEXT NOT NULL, location TEXT NOT NULL, details TEXT NOT NULL, suppressed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS anomalies_model ON anomalies (model, version, at);
CREATE TABLE IF NOT EXISTS vitals (
  batch_id TEXT NOT NULL, at INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, rating TEXT NOT NULL,
  navigation_type TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS vitals_at ON vitals (at);
`;

/** Tables with an `at` column (ms), pruned by it. */
const timedTables = ['runs', 'anomalies', 'vitals'] as const;

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
    const run = db.prepare('INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const anomaly = db.prepare('INSERT INTO anomalies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const vital = db.prepare('INSERT INTO vitals VALUES (?, ?, ?, ?, ?, ?)');
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
      const at = b.sentAt;
      // One row per model version and backend, its histograms and errors as JSON: a beacon is a
      // handful of rows, which is what lets one collector take thousands a second.
      for (const m of b.metrics) {
        const { feedback } = m;
        const judged = [feedback?.count ?? 0, feedback?.correct ?? 0] as const;
        run.run(
          b.batchId,
          at,
          m.model,
          m.version,
          m.backend,
          m.runs,
          ...judged,
          JSON.stringify(m.histograms),
          JSON.stringify(m.errors),
        );
      }
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
      for (const v of b.vitals) vital.run(b.batchId, at, v.name, v.value, v.rating, v.navigationType);
      return true;
    };
    const group = db.transaction((beacons: readonly Beacon[], receivedAt: number) =>
      beacons.map((beacon) => insertOne(beacon, receivedAt)),
    );
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
