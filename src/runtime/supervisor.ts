import { BackendError, isWebinferError, StateError, WorkerError } from '../errors.js';
import type { Emitter } from '../lib/emitter.js';
import { RestartBudget, type RestartPolicy } from '../lib/restart-budget.js';
import type { Wire } from '../lib/wire.js';
import type { Anomaly, ModelInfo, ReloadedModel, RuntimeEvents, WorkerRestartEvent } from '../types.js';
import type { LoadReply, LoadRequest, WorkerEvent } from '../worker/api.js';
import { type CallOptions, WorkerConnection, type WorkerRemote } from './worker-connection.js';

export interface SupervisorOptions {
  readonly createWorker: () => Worker;
  readonly heartbeatMs: number;
  readonly restart: RestartPolicy;
  readonly events: Emitter<RuntimeEvents>;
  /** When to end a worker that has no model left (see `SupervisorSettings`). */
  readonly recycleWhenIdle: boolean;
  readonly recycleAfterSessions: number;
  /** Called when a worker with no model left is ended. */
  readonly onRetired?: () => void;
}

/** A model the runtime loaded: how to load it again, and its handle in the current worker. */
interface Adopted {
  request: LoadRequest;
  /** As the worker last described it: a device loss moves it to another backend. */
  info: ModelInfo;
  handle: number;
  /** Why its calls fail: a restart could not load it again, or its lost device had no replacement. */
  failure?: WorkerError | BackendError | undefined;
  /** Told what its monitors found in a run (see `onAnomalies`). */
  anomalies?: ((version: string, anomalies: readonly Anomaly[]) => void) | undefined;
  /**
   * The handles it ran on before its latest swaps (the last few): the calls in flight at a swap
   * end on the version they were made to, and what the monitors find in their inputs follows.
   */
  retired?: readonly number[] | undefined;
}

/** Retired handles a model keeps listening to (see `Adopted.retired`). */
const retiredKept = 4;

/**
 * How long an idle worker may take to finish writing before it is ended: storing
 * onnxruntime-web's 14 MB binary after a first load took 0.3–0.45 s here. Ended before, it left
 * the next visit offline without a runtime to start.
 */
const writesLimitMs = 5_000;

/**
 * Keeps a runtime's worker alive, as a process supervisor does. When the worker dies or hangs
 * (see `WorkerConnection`), its pending calls have been rejected; the supervisor starts a new one
 * within a restart budget, loads every model that was loaded into it again (from the cache, as a
 * warm start), and only then lets calls through again. Models keep a stable key across workers.
 */
export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #budget: RestartBudget;
  readonly #models = new Map<number, Adopted>();
  /** Calls sent and not settled, by worker handle; and who waits for a handle's to reach none. */
  readonly #inFlight = new Map<number, number>();
  readonly #drained = new Map<number, () => void>();
  #connection: WorkerConnection | undefined;
  /** Settles when the current worker is ready for calls (after a restart, once models are back). */
  #ready: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  /** Sessions the current worker created: its wasm memory only grows with them. */
  #sessions = 0;
  #nextKey = 1;
  #nextCallId = 1;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#budget = new RestartBudget(options.restart);
  }

  /** Names a `load` call, for `abort(callId)`. */
  nextCallId(): number {
    return this.#nextCallId++;
  }

  /** Calls the worker once it is ready; rejects with its error, class and code intact. */
  async call<T>(invoke: (remote: WorkerRemote) => Promise<Wire<T>>, options?: CallOptions): Promise<T> {
    await this.#settled();
    return this.#renewOnOutOfMemory(this.#connect().call(invoke, options));
  }

  /** Calls the worker about the model `key`, with its handle in the current worker. */
  async callModel<T>(
    key: number,
    invoke: (remote: WorkerRemote, handle: number) => Promise<Wire<T>>,
    options?: CallOptions,
  ): Promise<T> {
    await this.#settled();
    const model = this.#models.get(key);
    if (!model) {
      // Closed since `#settled` returned (its caller resumes a tick later): the runtime's error, not the model's.
      throw this.#failure ?? new StateError('model-disposed', `Model ${key} is not loaded (disposed)`, { details: { key } });
    }
    if (model.failure) throw model.failure;
    // The handle is taken now: a call made before a swap ends on the version it was made to.
    const { handle } = model;
    this.#inFlight.set(handle, (this.#inFlight.get(handle) ?? 0) + 1);
    try {
      return await this.#renewOnOutOfMemory(this.#connect().call((remote) => invoke(remote, handle), options));
    } finally {
      const left = (this.#inFlight.get(handle) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(handle, left);
      else {
        this.#inFlight.delete(handle);
        this.#drained.get(handle)?.();
      }
    }
  }

  /**
   * Puts the model `key` on a model the worker loaded beside it (`reply`, from `request`): calls
   * made from now on go to it, calls already made end where they were sent, and the old session
   * is released once the last of them settles (`released`). `inFlight`: how many there were. A
   * worker restart loads `request` from then on.
   */
  swap(key: number, request: LoadRequest, reply: LoadReply): { inFlight: number; released: Promise<void> } {
    const model = this.#models.get(key);
    if (!model) {
      void this.#connection?.call((remote) => remote.dispose(reply.handle)).catch(() => undefined);
      throw new StateError('model-disposed', `Model ${key} is not loaded (disposed)`, { details: { key } });
    }
    const old = model.handle;
    const inFlight = this.#inFlight.get(old) ?? 0;
    const retired = [...(model.retired ?? []).slice(1 - retiredKept), old];
    Object.assign(model, { request, info: reply.info, handle: reply.handle, failure: undefined, retired });
    this.#sessions++;
    const drained = inFlight > 0 ? new Promise<void>((done) => this.#drained.set(old, done)) : Promise.resolve();
    const released = drained.then(async () => {
      this.#drained.delete(old);
      await this.#connection?.call((remote) => remote.dispose(old)).catch(() => undefined);
    });
    return { inFlight, released };
  }

  async #renewOnOutOfMemory<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (isWebinferError(error) && error.code === 'out-of-memory') this.renew(error);
      throw error;
    }
  }

  /** What the worker last said about the model `key`: where it runs now. */
  info(key: number): ModelInfo | undefined {
    return this.#models.get(key)?.info;
  }

  /** Takes charge of a model the worker loaded: it is loaded again after each restart. */
  adopt(request: LoadRequest, reply: LoadReply): number {
    this.#sessions++;
    const key = this.#nextKey++;
    this.#models.set(key, { request, info: reply.info, handle: reply.handle });
    return key;
  }

  /**
   * Tells `listener` what the worker's monitors of model `key` find in its runs: an event that
   * follows a run's reply, since they watch a run once its reply has gone.
   */
  onAnomalies(key: number, listener: (version: string, anomalies: readonly Anomaly[]) => void): void {
    const model = this.#models.get(key);
    if (model) model.anomalies = listener;
  }

  /**
   * Forgets the model `key` and releases its session, unless its worker is gone already. The
   * worker's last model gone, the worker itself is ended when the recycling settings say so: the
   * unit of cleanup, since wasm memory never shrinks. Resolves once it has ended (after writing
   * what it writes on its own: `writesLimitMs`).
   */
  async release(key: number): Promise<void> {
    const model = this.#models.get(key);
    if (!model) return;
    this.#models.delete(key);
    await this.#settled();
    const connection = this.#connection;
    if (!connection) return;
    if (!model.failure) await connection.call((remote) => remote.dispose(model.handle));
    const { recycleWhenIdle, recycleAfterSessions } = this.#options;
    const idle = this.#models.size === 0 && connection.pending === 0 && this.#connection === connection;
    if (idle && (recycleWhenIdle || this.#sessions >= recycleAfterSessions)) await this.#retire(connection);
  }

  /** Ends an idle worker once it has written what it writes on its own; new calls start another. */
  async #retire(connection: WorkerConnection): Promise<void> {
    this.#connection = undefined;
    this.#sessions = 0;
    this.#options.onRetired?.();
    await connection.closeAfterWrites(writesLimitMs);
  }

  /**
   * Ends the worker; pending and later calls reject with `runtime-closed`. A worker with no call
   * pending ends once it has written what it writes on its own (`writesLimitMs` at most).
   */
  async close(): Promise<void> {
    this.#failure = new StateError('runtime-closed', 'The runtime was closed');
    const connection = this.#connection;
    this.#connection = undefined;
    this.#models.clear();
    await connection?.closeAfterWrites(writesLimitMs);
  }

  #connect(): WorkerConnection {
    if (this.#failure) throw this.#failure;
    if (!this.#connection) {
      const connection: WorkerConnection = new WorkerConnection(this.#options.createWorker(), {
        heartbeatMs: this.#options.heartbeatMs,
        onEvent: (event) => {
          if (this.#connection !== connection) return;
          if (event.type !== 'anomalies') connection.backgroundWork(event.type === 'rebuild-started' ? 1 : -1);
          this.#onWorkerEvent(event);
        },
        onLost: (error) => {
          if (this.#connection !== connection) return;
          this.#connection = undefined;
          this.#ready = this.#restart(error);
        },
      });
      this.#connection = connection;
    }
    return this.#connection;
  }

  /** What a model's monitors found; or a model moved off a lost GPU device, or could not be: its info and calls follow. */
  #onWorkerEvent(event: WorkerEvent): void {
    const models = [...this.#models.values()];
    if (event.type === 'anomalies') {
      // A run on a version swapped out since is still the model's: its event names that version.
      const model = models.find((m) => m.handle === event.handle) ?? models.find((m) => m.retired?.includes(event.handle));
      model?.anomalies?.(event.version, event.anomalies);
      return;
    }
    const model = models.find((m) => m.handle === event.handle);
    if (!model || event.type === 'rebuild-started') return;
    const { id, version, backend: from } = model.info;
    if (event.type === 'backend-change') {
      model.info = event.info;
      this.#options.events.emit('backend-change', { id, version, from, to: event.info.backend, reason: event.reason });
    } else {
      model.failure = new BackendError('device-lost', `Model "${id}" lost its backend: ${event.reason}`, {
        details: { id, version },
      });
      this.#options.events.emit('backend-change', { id, version, from, to: null, reason: event.reason });
    }
  }

  /** Waits for the latest restart, however many happened while waiting. */
  async #settled(): Promise<void> {
    let ready: Promise<void>;
    do {
      ready = this.#ready;
      await ready;
    } while (ready !== this.#ready);
    if (this.#failure) throw this.#failure;
  }

  async #restart(lost: WorkerError): Promise<void> {
    const started = performance.now();
    const reason = lost.code === 'worker-unresponsive' ? 'worker-unresponsive' : 'worker-crashed';
    const delay = this.#budget.next();
    const restarts = this.#budget.recent;
    if (delay === undefined) {
      const { maxRestarts, windowMs } = this.#options.restart;
      this.#failure = new WorkerError(
        'worker-failed',
        `webinfer's worker was lost ${maxRestarts + 1} times within ${windowMs} ms; not restarting it (last: ${lost.message})`,
        { cause: lost, details: { restarts: maxRestarts, windowMs } },
      );
      this.#options.events.emit('worker-restart', {
        reason,
        message: lost.message,
        restarts,
        restarted: false,
        models: [],
        ms: performance.now() - started,
      });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    await this.#respawn(reason, lost.message, restarts, started);
  }

  /**
   * Moves the models to a fresh worker after one ran out of memory (RELIABILITY.md 24): its wasm
   * memory is now as large as it got and never shrinks. Calls already sent finish in the old
   * worker, which then ends; new calls wait for the fresh one. Not counted against the budget.
   */
  renew(cause: Error): void {
    const old = this.#connection;
    if (!old || this.#failure) return;
    this.#connection = undefined;
    old.closeWhenDrained();
    this.#ready = this.#respawn('out-of-memory', cause.message, this.#budget.recent, performance.now());
  }

  /** Starts a new worker, loads every model into it again, and reports it. */
  async #respawn(reason: WorkerRestartEvent['reason'], message: string, restarts: number, started: number): Promise<void> {
    if (this.#failure) return;
    this.#sessions = 0;
    const connection = this.#connect();
    const models: ReloadedModel[] = [];
    for (const model of this.#models.values()) {
      const { id, version } = model.info;
      try {
        const reply = await connection.call((remote) => remote.load({ ...model.request, callId: this.nextCallId() }));
        model.handle = reply.handle;
        model.retired = undefined; // the lost worker's handles: nothing more comes from it
        model.failure = undefined;
        this.#sessions++;
        models.push({ id, version, ok: true });
      } catch (error) {
        // Lost again meanwhile: the restart that follows takes over.
        if (this.#connection !== connection) return;
        const why = error instanceof Error ? error.message : String(error);
        model.failure = new WorkerError(
          'model-reload-failed',
          `Model "${id}" could not be loaded again in a new worker: ${why}`,
          {
            cause: error,
            details: { id, version },
          },
        );
        models.push({ id, version, ok: false, error: why });
      }
    }
    this.#options.events.emit('worker-restart', {
      reason,
      message,
      restarts,
      restarted: true,
      models,
      ms: performance.now() - started,
    });
  }
}
