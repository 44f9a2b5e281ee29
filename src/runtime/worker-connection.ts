import { proxy, type Remote, releaseProxy, wrap } from 'comlink';
import { StateError, WorkerError } from '../errors.js';
import { Deadlines } from '../lib/deadlines.js';
import { unwire, type Wire, type WireApi } from '../lib/wire.js';
import type { WorkerApi, WorkerEvent } from '../worker/api.js';

export type WorkerRemote = Remote<WireApi<WorkerApi>>;

export interface ConnectionOptions {
  /**
   * Called once when the worker, after it started, is found dead or unresponsive; every pending
   * call has then been rejected. Never called after `close`.
   */
  readonly onLost: (error: WorkerError) => void;
  /** How often the page pings an idle worker; it is lost when a ping goes unanswered as long. */
  readonly heartbeatMs: number;
  /** What the worker tells unasked (a model moved off a lost GPU device). */
  readonly onEvent?: (event: WorkerEvent) => void;
}

export interface CallOptions {
  /** Rejects this call with `call-timeout` after so many ms, and ends the worker as hung. */
  readonly timeoutMs?: number;
}

/** How long a new worker may take to load its script and answer. */
const startTimeoutMs = 30_000;
let nextLockId = 0;

/**
 * The page's link to one worker: typed calls through Comlink, and the watch on its life. Browsers
 * fire no event when a worker dies, and Comlink leaves calls to a dead worker pending forever
 * (comlink #601, #692), so the worker holds a Web Lock for its whole life and the page queues for
 * it: the browser grants it to the page the moment the worker ends. A heartbeat while idle, and
 * per-call timeouts while busy (a worker inside `session.run` cannot answer a ping), catch a hung
 * worker, and browsers without Web Locks. A lost worker rejects every pending call.
 */
export class WorkerConnection {
  readonly #worker: Worker;
  readonly #remote: WorkerRemote;
  readonly #options: ConnectionOptions;
  readonly #pending = new Set<(error: Error) => void>();
  /** The pending calls' timeouts, on one timer. */
  readonly #deadlines = new Deadlines();
  readonly #watch = new AbortController();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #started = false;
  #pinging = false;
  /** Work the worker announced it does on its own (a rebuild): it may not answer pings meanwhile. */
  #backgroundWork = 0;
  #draining = false;
  #failure: Error | undefined;

  constructor(worker: Worker, options: ConnectionOptions) {
    this.#worker = worker;
    this.#options = options;
    this.#remote = wrap<WireApi<WorkerApi>>(worker);
    // A module worker that fails to load or throws at top level reports only an `error` event.
    // After it started, an `error` event is an uncaught exception in it, not its death.
    worker.addEventListener('error', (event) => {
      if (this.#started) return;
      event.preventDefault();
      const message =
        event instanceof ErrorEvent && event.message ? event.message : 'the worker script failed to load or crashed';
      this.#fail(new WorkerError('worker-failed', `webinfer's worker failed: ${message}`));
    });
    worker.addEventListener('messageerror', () => {
      this.#lose(new WorkerError('worker-crashed', "webinfer's worker sent a message that could not be deserialized"));
    });
    this.#heartbeat = setInterval(() => this.#ping(), options.heartbeatMs);
    void this.#attach();
  }

  /** Calls one worker method; rejects with the worker's error, class and code intact. */
  call<T>(invoke: (remote: WorkerRemote) => Promise<Wire<T>>, options: CallOptions = {}): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<T>((resolve, reject) => {
      this.#pending.add(reject);
      const { timeoutMs } = options;
      const deadline =
        timeoutMs !== undefined && Number.isFinite(timeoutMs)
          ? this.#deadlines.add(timeoutMs, () => {
              const details = { timeoutMs };
              reject(new WorkerError('call-timeout', `The call took longer than its ${timeoutMs} ms timeout`, { details }));
              this.#lose(
                new WorkerError('worker-unresponsive', `webinfer's worker ran a call past its ${timeoutMs} ms timeout`, {
                  details,
                }),
              );
            })
          : undefined;
      // No longer pending by the time the caller hears of it (see `pending`).
      const settle = () => {
        deadline?.cancel();
        this.#pending.delete(reject);
        if (this.#draining && this.#pending.size === 0) queueMicrotask(() => this.close());
      };
      invoke(this.#remote)
        .then((wire) => {
          settle();
          resolve(unwire(wire));
        })
        .catch((error: unknown) => {
          settle();
          reject(
            error instanceof Error && 'code' in error
              ? error
              : new WorkerError('worker-failed', `Could not reach webinfer's worker: ${String(error)}`, { cause: error }),
          );
        });
    });
  }

  /** Calls not yet settled. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Ends the worker once no call is pending (now, if none is); takes no new calls meanwhile. */
  closeWhenDrained(): void {
    this.#draining = true;
    if (this.#pending.size === 0) this.close();
  }

  /**
   * Ends a worker with no call pending once what it writes on its own is written (see
   * `WorkerApi.settleWrites`), `limitMs` at most; with calls pending, now (as `close`). The
   * caller sends it no new calls meanwhile.
   */
  async closeAfterWrites(limitMs: number): Promise<void> {
    if (this.#started && !this.#failure && this.#pending.size === 0) {
      // A limit on the calls' timer, not a call timeout: that would end the worker as hung.
      await new Promise<void>((resolve) => {
        const limit = this.#deadlines.add(limitMs, resolve);
        void this.call((remote) => remote.settleWrites())
          .catch(() => undefined)
          .then(() => {
            limit.cancel();
            resolve();
          });
      });
    }
    this.close();
  }

  /** Ends the worker; calls still pending reject with `runtime-closed`. */
  close(): void {
    this.#end(new StateError('runtime-closed', 'The runtime was closed'));
  }

  async #attach(): Promise<void> {
    const lockName = `webinfer-worker-${Date.now().toString(36)}-${nextLockId++}-${Math.random().toString(36).slice(2)}`;
    const startTimer = setTimeout(
      () => this.#fail(new WorkerError('worker-failed', `webinfer's worker did not start within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    let held: boolean;
    try {
      const onEvent = this.#options.onEvent;
      held = await this.call((remote) => remote.attach(lockName, onEvent && proxy(onEvent)));
    } catch {
      return; // failed to start (reported by #fail), or closed
    } finally {
      clearTimeout(startTimer);
    }
    this.#started = true;
    if (!held) return;
    // Granted to the page only once the worker's hold ends: when the worker does.
    await navigator.locks
      .request(lockName, { signal: this.#watch.signal }, () => {
        this.#lose(new WorkerError('worker-crashed', "webinfer's worker ended (terminated, closed or crashed)"));
      })
      .catch(() => undefined); // the watch was aborted: closed, or already lost
  }

  /**
   * The worker started (+1) or ended (−1) work of its own, such as rebuilding a model after a
   * lost device: creating a session holds its thread for seconds, so it is not pinged meanwhile
   * (calls made meanwhile still time out).
   */
  backgroundWork(delta: 1 | -1): void {
    this.#backgroundWork = Math.max(0, this.#backgroundWork + delta);
  }

  /** Pings an idle worker; a ping unanswered for a whole period means it hangs. */
  #ping(): void {
    if (!this.#started || this.#pinging || this.#pending.size > 0 || this.#backgroundWork > 0 || this.#failure) return;
    this.#pinging = true;
    const { heartbeatMs } = this.#options;
    const missed = setTimeout(
      () =>
        this.#lose(new WorkerError('worker-unresponsive', `webinfer's worker did not answer a ping within ${heartbeatMs} ms`)),
      heartbeatMs,
    );
    this.#remote
      .ping()
      .then(() => clearTimeout(missed))
      .catch(() => undefined)
      .finally(() => {
        this.#pinging = false;
      });
  }

  /** The worker died or hangs after it started: end it and tell the supervisor. */
  #lose(error: WorkerError): void {
    if (this.#failure) return;
    this.#end(error);
    this.#options.onLost(error);
  }

  /** The worker could not start: its calls fail, nothing is restarted. */
  #fail(error: WorkerError): void {
    if (this.#failure || this.#started) return;
    this.#end(error);
  }

  #end(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    clearInterval(this.#heartbeat);
    this.#deadlines.clear();
    this.#watch.abort();
    for (const reject of this.#pending) reject(error);
    this.#pending.clear();
    this.#remote[releaseProxy]();
    this.#worker.terminate();
  }
}
