import type { Beacon } from '../telemetry/beacon.js';
import type { CollectorMetrics } from './collector-metrics.js';
import type { GroupCommit } from './group-commit.js';

/** What a route needs to store beacons it has checked, and to count what it took and refused. */
export interface Ingest {
  /** Resolves once `beacon` is committed: true if new, false if its batch id was stored before. Rejects with SQLITE_BUSY. */
  readonly store: (beacon: Beacon) => Promise<boolean>;
  readonly metrics: CollectorMetrics;
  /** The collector's clock (ms). */
  readonly now: () => number;
}

export function ingestOf(commits: GroupCommit, metrics: CollectorMetrics, now: () => number): Ingest {
  return { store: (beacon) => commits.add(beacon), metrics, now };
}

/** Whether a store failed because the database stayed locked (answer 503 with `Retry-After`). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
