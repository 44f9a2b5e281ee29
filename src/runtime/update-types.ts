/**
 * `rt.load(manifestUrl, { update })`: keep a model current in the field. The cached version
 * serves at once (stale-while-revalidate) and the manifest is revalidated in the background —
 * after the load, every `intervalMs`, and when the page becomes visible again. A new version is
 * fetched (only the files whose SHA-256 changed), given a fresh session that must pass its
 * canary, and swapped in between calls: calls already made finish on the old version, calls
 * made after on the new one.
 */
export interface UpdateOptions {
  /** Ms between checks while the page is open. Default 10 minutes; at least 1 000. */
  readonly intervalMs?: number;
  /** Check when the page becomes visible again (at most once a minute). Default true. */
  readonly onVisible?: boolean;
  /**
   * After a swap, the first `runs` calls on the new version are on probation: more than
   * `maxErrorRate` of them failing, or more than `maxAnomalyRate` of them with an anomaly, swaps
   * the version before back in (it stays cached) and refuses the new one (`rollback`). Default
   * `{ runs: 50, maxErrorRate: 0.05, maxAnomalyRate: 0.2 }`; `false`: no probation.
   */
  readonly rollback?: false | { readonly runs?: number; readonly maxErrorRate?: number; readonly maxAnomalyRate?: number };
}

/** `rt.on('update')`: a model now runs a new version. */
export interface UpdateEvent {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** What found it: the check after the load, the interval, the page becoming visible, `model.checkForUpdate()`; or `model.pin()`. */
  readonly trigger: UpdateTrigger;
  /** Ms from finding the new manifest to the swap: fetching, session creation, canary. */
  readonly preparedMs: number;
  /** Calls that were in flight on the old version at the swap (each finished on it). */
  readonly inFlight: number;
}

/**
 * `rt.on('rollback')`: a version was given up; `from` is that version, `to` the one that runs.
 * Reasons: a new version's canary failed, or it did not load (it was never swapped in); too many
 * of the first calls on it failed (`errors`) or showed anomalies (`anomalies`), and the version
 * before came back; `model.rollback()` (`manual`).
 */
export interface RollbackEvent {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly reason: 'canary-failed' | 'load-failed' | 'errors' | 'anomalies' | 'manual';
  readonly message: string;
}

/** What swapped a version in: a check (after the load, on the interval, on becoming visible, by hand) or `model.pin`. */
export type UpdateTrigger = 'load' | 'interval' | 'visible' | 'manual' | 'pin';

/** What `model.checkForUpdate()` resolves to. */
export interface UpdateCheckResult {
  /** The version running after the check. */
  readonly version: string;
  /**
   * `current`: nothing newer; `updated`: swapped to `version`; `rejected`: the new one failed
   * (see `rollback`); `pinned`: not checked, the model is pinned (`model.pin`).
   */
  readonly outcome: 'current' | 'updated' | 'rejected' | 'pinned';
}
