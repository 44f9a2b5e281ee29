import { AbortError, FetchError, isWebinferError, StateError, WorkerError } from '../errors.js';
import type { Emitter } from '../lib/emitter.js';
import type { RuntimeObserver } from '../monitor/run-observer.js';
import type { ModelInfo, RuntimeEvents } from '../types.js';
import type { LoadReply, LoadRequest } from '../worker/api.js';
import type { Supervisor } from './supervisor.js';

export { checkUpdate } from './check-update.js';

import { Probation, type ProbationSettings, type Verdict } from './update-probation.js';
import type { RollbackEvent, UpdateCheckResult, UpdateTrigger } from './update-types.js';

/**
 * Starts keeping the model `key` current: the runtime's side of `rt.load(url, { update })`,
 * here so that pages which never use it never load it. The watcher stops with the model, or at
 * its first check after the runtime closed.
 */
export function watch(options: {
  readonly supervisor: Supervisor;
  readonly key: number;
  readonly request: LoadRequest;
  readonly reply: LoadReply;
  readonly events: Emitter<RuntimeEvents>;
  readonly observer: RuntimeObserver | undefined;
  readonly update: UpdateWatcherOptions['update'];
}): UpdateWatcher {
  const { supervisor, key, reply, observer } = options;
  const watcher = new UpdateWatcher({
    ...options,
    info: () => supervisor.info(key) ?? reply.info,
    onSwapped: (next) => observer?.loaded(next.info, next.info.loadTimings),
  });
  watcher.start();
  return watcher;
}

export interface UpdateWatcherOptions {
  readonly supervisor: Supervisor;
  /** The model's key in the supervisor. */
  readonly key: number;
  /** How the model was loaded (a manifest), and what the load answered. */
  readonly request: LoadRequest;
  readonly reply: LoadReply;
  readonly events: Emitter<RuntimeEvents>;
  /** The model's info now. */
  readonly info: () => ModelInfo;
  /** Told of each version swapped in (for its metrics). */
  readonly onSwapped?: (reply: LoadReply) => void;
  readonly update: { readonly intervalMs: number; readonly onVisible: boolean; readonly rollback: ProbationSettings | false };
}

/** A version as it can be loaded again: its manifest pinned. */
interface Pinned {
  readonly request: LoadRequest;
  readonly version: string;
}

/** Checks on becoming visible come at most this often. */
const visibleGapMs = 60_000;

/**
 * Keeps one model current (see `UpdateOptions`): checks its manifest in the worker, loads a
 * changed version beside the running one, and swaps it in when it loaded and passed its canary.
 * The version it replaced stays loadable (and cached): the first calls on the new one are on
 * probation, and too many failures or anomalies swap the old one back. Versions older than
 * that are deleted from the cache. One check or swap at a time; a version refused is not tried
 * again while this page lives. A check that cannot reach the server changes nothing.
 */
export class UpdateWatcher {
  readonly #options: UpdateWatcherOptions;
  readonly #url: string;
  readonly #rejected = new Set<string>();
  #current: Pinned;
  #previous: Pinned | undefined;
  #probation: Probation | undefined;
  /** The check or swap under way: they run one at a time. */
  #busy: Promise<unknown> = Promise.resolve();
  #checking: Promise<UpdateCheckResult> | undefined;
  #lastCheck = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;
  /** The version `pin` holds the model on; updates are not followed meanwhile. */
  #pinned: string | undefined;
  readonly #onVisibility = () => {
    if (document.visibilityState !== 'visible' || performance.now() - this.#lastCheck < visibleGapMs) return;
    this.#background('visible');
  };

  constructor(options: UpdateWatcherOptions) {
    const { request, reply } = options;
    if (request.source.kind !== 'manifest') throw new Error('an update watcher needs a manifest');
    this.#options = options;
    this.#url = request.source.url;
    this.#current = this.#pin(reply);
  }

  /** Checks now (after the load), then every `intervalMs` and when the page becomes visible. */
  start(): void {
    this.#background('load');
    this.#timer = setInterval(() => this.#background('interval'), this.#options.update.intervalMs);
    if (this.#options.update.onVisible && typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.#onVisibility);
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** Checks now, or joins the check under way; rejects when the server cannot be reached. */
  check(trigger: UpdateTrigger = 'manual'): Promise<UpdateCheckResult> {
    this.#checking ??= this.#exclusive(() => this.#check(trigger)).finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  /** Swaps the version before the last update back in (`model.rollback()`). */
  rollback(): Promise<string> {
    return this.#exclusive(async () => {
      if (!this.#previous) {
        throw new StateError('no-previous-version', `Model "${this.#options.info().id}" has no earlier version to roll back to`, {
          details: { model: this.#options.info().id, version: this.#current.version },
        });
      }
      await this.#rollBack('manual', 'model.rollback() was called');
      return this.#current.version;
    });
  }

  /**
   * Runs `version` from now on, and stops following updates until `unpin`: the version before
   * (still loadable) or one in the cache. Resolves once it runs.
   */
  pin(version: string): Promise<void> {
    return this.#exclusive(async () => {
      this.#pinned = version;
      if (version === this.#current.version) return;
      const request = await this.#requestFor(version);
      const { supervisor, info } = this.#options;
      const from = info().version;
      const started = performance.now();
      const reply = await supervisor.call((remote) => remote.load({ ...request, callId: supervisor.nextCallId() }));
      const { inFlight } = this.#swap(request, reply);
      this.#probation = undefined;
      const preparedMs = performance.now() - started;
      this.#options.events.emit('update', { id: reply.info.id, from, to: version, trigger: 'pin', preparedMs, inFlight });
    });
  }

  /** Follows updates again, and checks now. */
  unpin(): Promise<UpdateCheckResult> {
    this.#pinned = undefined;
    return this.check('manual');
  }

  /** How to load `version` again: the version before, or one whose manifest the cache kept. */
  async #requestFor(version: string): Promise<LoadRequest> {
    if (this.#previous?.version === version) return this.#previous.request;
    const { supervisor, info } = this.#options;
    const cached = await supervisor.call((remote) => remote.cachedManifest(info().id, version));
    if (!cached) {
      throw new StateError('version-unavailable', `Version ${version} of "${info().id}" is not in the cache`, {
        details: { model: info().id, version },
      });
    }
    return this.#pinnedRequest({ text: cached.text, validators: {}, url: cached.url });
  }

  /** One call's outcome on `version`: judged while that version is on probation. */
  observe(version: string, failed: boolean): void {
    this.#judge(version, (probation) => probation.add(failed));
  }

  /** A call on `version` showed anomalies (told after its reply). */
  noticed(version: string): void {
    this.#judge(version, (probation) => probation.addAnomalous());
  }

  #judge(version: string, add: (probation: Probation) => Verdict | undefined): void {
    const probation = this.#probation;
    if (!probation || probation.version !== version) return;
    const verdict = add(probation);
    if (verdict === undefined) return;
    this.#probation = undefined;
    if (verdict === 'passed') return;
    const { runs, errors, anomalous: seen } = probation.figures;
    const message =
      verdict === 'errors'
        ? `${errors} of the first ${runs} calls on ${version} failed`
        : `${seen} of the first ${runs} calls on ${version} showed anomalies`;
    void this.#exclusive(() => (this.#current.version === version ? this.#rollBack(verdict, message) : undefined)).catch(
      () => undefined,
    );
  }

  #background(trigger: UpdateTrigger): void {
    this.check(trigger).catch((error: unknown) => {
      if (error instanceof StateError && error.code === 'runtime-closed') this.stop();
    });
  }

  #exclusive<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.#busy.then(task, task);
    this.#busy = run.catch(() => undefined);
    return run;
  }

  async #check(trigger: UpdateTrigger): Promise<UpdateCheckResult> {
    const { supervisor, info, events } = this.#options;
    if (this.#pinned !== undefined) return { version: info().version, outcome: 'pinned' };
    this.#lastCheck = performance.now();
    const { channel, installId } = this.#options.request;
    const found = await supervisor.call((remote) =>
      remote.checkManifest(this.#url, { ...(channel ? { channel } : {}), ...(installId ? { installId } : {}) }),
    );
    const current = info().version;
    const { version, ...pinned } = found;
    const candidate = version ?? found.text;
    if (this.#stopped || version === current || this.#rejected.has(candidate)) return { version: current, outcome: 'current' };
    const started = performance.now();
    const request = this.#pinnedRequest(pinned);
    let reply: LoadReply;
    try {
      reply = await supervisor.call((remote) => remote.load(request));
    } catch (error) {
      if (isTransient(error)) throw error;
      this.#rejected.add(candidate);
      const canary = isWebinferError(error) && error.code === 'canary-failed';
      this.#emitRollback({
        from: version ?? '(unreadable manifest)',
        to: current,
        reason: canary ? 'canary-failed' : 'load-failed',
        message: error instanceof Error ? error.message : String(error),
      });
      return { version: current, outcome: 'rejected' };
    }
    if (this.#stopped) {
      await supervisor.call((remote) => remote.dispose(reply.handle)).catch(() => undefined);
      return { version: current, outcome: 'current' };
    }
    const { inFlight } = this.#swap(request, reply);
    const rollback = this.#options.update.rollback;
    this.#probation = rollback ? new Probation(reply.info.version, rollback) : undefined;
    events.emit('update', {
      id: reply.info.id,
      from: current,
      to: reply.info.version,
      trigger,
      preparedMs: performance.now() - started,
      inFlight,
    });
    void this.#cleanUp().catch(() => undefined);
    return { version: reply.info.version, outcome: 'updated' };
  }

  /** Swaps the previous version back in (loaded again, from the cache) and refuses the current one. */
  async #rollBack(reason: Extract<RollbackEvent['reason'], 'errors' | 'anomalies' | 'manual'>, message: string): Promise<void> {
    const previous = this.#previous;
    if (!previous || this.#stopped) return;
    const { supervisor } = this.#options;
    const reply = await supervisor.call((remote) => remote.load({ ...previous.request, callId: supervisor.nextCallId() }));
    const from = this.#current.version;
    this.#swap(previous.request, reply);
    this.#previous = undefined;
    this.#probation = undefined;
    // A version given up by the runtime is not taken again; one given up by hand may be.
    if (reason !== 'manual') this.#rejected.add(from);
    this.#emitRollback({ from, to: previous.version, reason, message });
  }

  #swap(request: LoadRequest, reply: LoadReply): { inFlight: number } {
    const { inFlight } = this.#options.supervisor.swap(this.#options.key, request, reply);
    this.#previous = this.#current;
    this.#current = { request, version: reply.info.version };
    this.#options.onSwapped?.(reply);
    return { inFlight };
  }

  /** Deletes cached versions of this model other than the current one and the one before. */
  async #cleanUp(): Promise<void> {
    if (this.#options.request.cache === false) return;
    const { supervisor, info } = this.#options;
    const keep = new Set([this.#current.version, this.#previous?.version]);
    const { id } = info();
    for (const cached of await supervisor.call((remote) => remote.cacheList())) {
      if (cached.id === id && !keep.has(cached.version))
        await supervisor.call((remote) => remote.cacheDelete(id, cached.version));
    }
  }

  #emitRollback(event: Omit<RollbackEvent, 'id'>): void {
    this.#options.events.emit('rollback', { id: this.#options.info().id, ...event });
  }

  /** The request that loads the version `reply` describes again, exactly (its manifest pinned). */
  #pin(reply: LoadReply): Pinned {
    const request = reply.manifest ? this.#pinnedRequest(reply.manifest) : this.#options.request;
    return { request, version: reply.info.version };
  }

  #pinnedRequest(manifest: NonNullable<LoadReply['manifest']>): LoadRequest {
    return {
      ...this.#options.request,
      source: { kind: 'manifest', url: this.#url, pinned: manifest },
      callId: this.#options.supervisor.nextCallId(),
      cachedFirst: false,
    };
  }
}

/** Failures that say nothing about the new version: the network, the worker, an abort. */
function isTransient(error: unknown): boolean {
  return (
    (error instanceof FetchError && error.code === 'network') ||
    error instanceof WorkerError ||
    error instanceof AbortError ||
    (error instanceof StateError && error.code === 'runtime-closed')
  );
}
