import { proxy } from 'comlink';
import type { CachedModel } from '../artifacts/store/model-store.js';
import { abortable } from '../lib/abortable.js';
import { Emitter } from '../lib/emitter.js';
import { defaultRestartPolicy } from '../lib/restart-budget.js';
import type { ModelMetrics } from '../monitor/metrics.js';
import type { RuntimeObserver } from '../monitor/run-observer.js';
import type { PageMetrics } from '../telemetry/page-signals.js';
import type { CacheOptions, LoadProgress, RuntimeEvents } from '../types.js';
import type { CacheUsage, LoadRequest } from '../worker/api.js';
import {
  checkAnomalies,
  checkBackends,
  checkBatchingOption,
  checkCache,
  checkManifestKeys,
  checkName,
  checkRetryPolicy,
  checkSupervisor,
  checkThreads,
  checkTimeout,
  checkVariant,
  knownBackends,
} from './check-options.js';
import type { LoadOptions } from './load-options.js';
import { Model } from './model.js';
import { type LoadSource, toModelSource } from './model-source.js';
import type { RuntimeOptions } from './runtime-options.js';
import { spawnWorker } from './spawn-worker.js';
import { Supervisor, type SupervisorOptions } from './supervisor.js';
import { checkTelemetry, TelemetryHandle } from './telemetry-handle.js';

export type { LoadOptions } from './load-options.js';
export type { RuntimeOptions } from './runtime-options.js';

/** `rt.cache`: what webinfer keeps in IndexedDB. */
export interface ModelCache {
  list(): Promise<CachedModel[]>;
  /** Deletes a model's version (every version when absent) and the files no other version uses. */
  delete(id: string, version?: string): Promise<number>;
  /** Deletes everything webinfer stored: every version, file and partial download. */
  clear(): Promise<void>;
  usage(): Promise<CacheUsage>;
  /**
   * Asks the browser to keep this origin's storage under pressure (`navigator.storage.persist()`,
   * which only pages can call); resolves to whether it is persistent.
   */
  persist(): Promise<boolean>;
}

/** What `rt.metrics()` returns. */
export interface RuntimeMetrics {
  readonly models: readonly ModelMetrics[];
  /** With telemetry on: the page's web-vitals and its long frames, and those during model calls. */
  readonly page?: PageMetrics;
}

const ignore = () => undefined;

/**
 * A webinfer runtime: one worker that holds the sessions of the models it loads.
 *
 * @example
 * const rt = createRuntime({ backends: ['webgpu', 'wasm'] });
 * const model = await rt.load('/models/add.onnx');
 * const out = await model.run({ a, b });
 * await rt.close();
 */
export class Runtime {
  readonly #options: Required<Pick<RuntimeOptions, 'backends' | 'manifestKeys' | 'runTimeoutMs'>> &
    Pick<RuntimeOptions, 'threads' | 'download'> & { cache: false | CacheOptions };
  readonly #events = new Emitter<RuntimeEvents>();
  readonly #supervisorOptions: SupervisorOptions;
  /** The worker models share. */
  readonly #supervisor: Supervisor;
  /** Workers of models loaded with `ownWorker`, each ended when its model is disposed. */
  readonly #dedicated = new Set<Supervisor>();
  #persistAsked = false;
  /**
   * Metrics and anomaly events, loaded with the first model (a chunk of its own: the page's
   * entry stays small, and a page that never loads a model never downloads it).
   */
  #observer: Promise<RuntimeObserver | undefined> | undefined;
  #observed: RuntimeObserver | undefined;
  readonly #anomalyLimits: { intervalMs?: number };
  readonly #telemetry: TelemetryHandle | undefined;
  readonly #installId: string | undefined;

  /** @internal Made by `createRuntime`. */
  constructor(options: RuntimeOptions) {
    this.#options = {
      cache: checkCache(options.cache ?? true),
      backends: checkBackends(options.backends ?? knownBackends),
      manifestKeys: checkManifestKeys(options.manifestKeys ?? []),
      runTimeoutMs: checkTimeout('runTimeoutMs', options.runTimeoutMs ?? 60_000),
      ...(options.threads === undefined ? {} : { threads: checkThreads(options.threads) }),
      ...(options.download === undefined ? {} : { download: checkRetryPolicy(options.download) }),
    };
    this.#installId = options.installId === undefined ? undefined : checkName('installId', options.installId);
    const settings = checkSupervisor(options.supervisor ?? {});
    this.#supervisorOptions = {
      createWorker: options.createWorker ?? spawnWorker,
      heartbeatMs: settings.heartbeatMs,
      restart: { ...defaultRestartPolicy, maxRestarts: settings.maxRestarts, windowMs: settings.restartWindowMs },
      events: this.#events,
      recycleWhenIdle: settings.recycleWhenIdle,
      recycleAfterSessions: settings.recycleAfterSessions,
    };
    this.#supervisor = new Supervisor(this.#supervisorOptions);
    this.#anomalyLimits = checkAnomalies(options.anomalies ?? {});
    this.#telemetry =
      options.telemetry === undefined
        ? undefined
        : new TelemetryHandle(
            checkTelemetry(options.telemetry, globalThis.location?.href),
            () => this.#observed?.metrics() ?? [],
            this.#events,
          );
  }

  /**
   * Calls `listener` with each event of `type`; returns the function that stops it.
   *
   * @example
   * rt.on('worker-restart', (e) => console.warn(`worker restarted (${e.reason}): ${e.message}`));
   */
  on<K extends keyof RuntimeEvents>(type: K, listener: (event: RuntimeEvents[K]) => void): () => void {
    return this.#events.on(type, listener);
  }

  off<K extends keyof RuntimeEvents>(type: K, listener: (event: RuntimeEvents[K]) => void): void {
    this.#events.off(type, listener);
  }

  /**
   * Fetches a model and creates its session on the first backend that works. `source` is a
   * manifest URL, a bare `.onnx` URL, or `{ url, sha256 }` for one file that must match the hash.
   */
  async load(source: LoadSource, options: LoadOptions = {}): Promise<Model> {
    if (this.#options.cache && this.#options.cache.persist === true && !this.#persistAsked) {
      this.#persistAsked = true;
      void this.cache.persist();
    }
    const backends = options.backends ? checkBackends(options.backends) : this.#options.backends;
    const runTimeoutMs =
      options.runTimeoutMs === undefined ? this.#options.runTimeoutMs : checkTimeout('runTimeoutMs', options.runTimeoutMs);
    const batching = options.batching === undefined ? undefined : checkBatchingOption(options.batching);
    const supervisor = options.ownWorker ? this.#dedicatedSupervisor() : this.#supervisor;
    const callId = supervisor.nextCallId();
    let settled = false;
    const onProgress = options.onProgress;
    const progress =
      onProgress &&
      proxy((p: LoadProgress) => {
        // Reports still in flight when the load settles or is aborted are dropped.
        if (settled || options.signal?.aborted) return;
        try {
          onProgress(p);
        } catch (error) {
          // The caller's callback failing must not fail the load: surface it as an uncaught error.
          reportError(error);
        }
      });
    const modelSource = toModelSource(source, globalThis.location?.href);
    // Its own chunk, with the watcher: pages that never keep a model current never load it.
    const updates = options.update === undefined || options.update === false ? undefined : await import('./model-updates.js');
    const update = updates?.checkUpdate(options.update, modelSource);
    const request: LoadRequest = {
      source: modelSource,
      backends,
      manifestKeys: this.#options.manifestKeys,
      cache: this.#options.cache && {
        ...(this.#options.cache.chunkBytes === undefined ? {} : { chunkBytes: this.#options.cache.chunkBytes }),
        ...(this.#options.cache.memoryFallback === undefined ? {} : { memoryFallback: this.#options.cache.memoryFallback }),
      },
      callId,
      ...(this.#options.threads === undefined ? {} : { threads: this.#options.threads }),
      ...(this.#options.download === undefined ? {} : { retry: this.#options.download }),
      // The worker follows `stable` unless told: the channels code stays out of the page entry.
      ...(options.channel === undefined ? {} : { channel: checkName('channel', options.channel) }),
      // Which side of a rollout: only manifests (or channels documents) have one. A chunk of its own.
      ...(modelSource.kind === 'manifest' ? { installId: this.#installId ?? (await import('./install-id.js')).installId() } : {}),
      ...(batching ? { batching } : {}),
      ...(options.variant === undefined ? {} : { variant: checkVariant(options.variant) }),
      ...(options.feedback === undefined ? {} : { feedback: options.feedback }),
      // Kept current: a cached version serves at once, and the watcher revalidates it after.
      ...(update ? { cachedFirst: true } : {}),
    };
    const loading = supervisor.call((remote) => remote.load(request, progress));
    // Its own chunk: only models that batch send their runs coalesced (P6).
    const coalescing = batching && import('./run-coalescer.js').catch(ignore);
    this.#observer ??= import('../monitor/run-observer.js').then(
      ({ RuntimeObserver }) => {
        const telemetry = this.#telemetry;
        this.#observed = new RuntimeObserver(this.#events, {
          ...this.#anomalyLimits,
          ...(telemetry ? { onRun: (roundTripMs: number, end: number) => telemetry.ran(roundTripMs, end) } : {}),
        });
        return this.#observed;
      },
      (error: unknown) => {
        // Monitoring must never fail a load: this model goes unobserved; the next load tries again.
        this.#observer = undefined;
        globalThis.reportError?.(error); // absent outside browsers (Node's test runner)
        return undefined;
      },
    );
    const observing = this.#observer;
    try {
      const reply = await abortable(loading, options.signal, () => {
        supervisor.call((remote) => remote.abort(callId)).catch(ignore);
        // The worker may finish before it hears of the abort: free what it loaded.
        loading.then(({ handle }) => supervisor.call((remote) => remote.dispose(handle))).catch(ignore);
      });
      const observer = await observing;
      observer?.loaded(reply.info, reply.info.loadTimings);
      const key = supervisor.adopt(request, reply);
      const watcher = update && updates?.watch({ supervisor, key, request, reply, events: this.#events, observer, update });
      const coalescer = reply.info.batching && (await coalescing);
      const model = new Model(supervisor, key, reply.info, {
        runTimeoutMs,
        ...(observer ? { observer } : {}),
        ...(watcher ? { updates: watcher } : {}),
        ...(coalescer ? { coalescer: new coalescer.RunCoalescer(supervisor, key, reply.info) } : {}),
      });
      return model;
    } catch (error) {
      // A worker of its own holds nothing else: it ends with the failed load.
      if (supervisor !== this.#supervisor) {
        await supervisor.close();
        this.#dedicated.delete(supervisor);
      }
      throw error;
    } finally {
      settled = true;
    }
  }

  /**
   * The model cache in IndexedDB, shared by every runtime of this origin.
   *
   * @example
   * for (const m of await rt.cache.list()) console.log(m.id, m.version, m.bytes);
   * await rt.cache.delete('vad', '4.0.0');
   */
  get cache(): ModelCache {
    return {
      list: async () => this.#supervisor.call((remote) => remote.cacheList()),
      delete: async (id, version) => this.#supervisor.call((remote) => remote.cacheDelete(id, version)),
      clear: async () => this.#supervisor.call((remote) => remote.cacheClear()),
      usage: async () => {
        const [usage, persisted] = await Promise.all([
          this.#supervisor.call((remote) => remote.cacheUsage()),
          storageManager()
            ?.persisted?.()
            .catch(() => undefined),
        ]);
        return persisted === undefined ? usage : { ...usage, persisted };
      },
      persist: async () =>
        (await storageManager()
          ?.persist?.()
          .catch(() => false)) ?? false,
    };
  }

  /**
   * Latency and counts of every model this runtime loaded, per model, version and backend:
   * p50/p95/p99 of each inference phase (queue, preprocess, inference, postprocess, total) and
   * of each load phase, from mergeable log-scale histograms, and failed runs by error code.
   *
   * @example
   * const [vad] = rt.metrics().models;
   * console.log(vad.phases.total.p95Ms, vad.errors);
   */
  metrics(): RuntimeMetrics {
    // Models first: counting their calls tells the page's long frames which overlapped a call.
    const models = this.#observed?.metrics() ?? [];
    const page = this.#telemetry?.page();
    return { models, ...(page ? { page } : {}) };
  }

  /**
   * Sends the telemetry gathered since the last beacon now (say, before a navigation the page
   * controls); resolves once the endpoint took it or it was queued for later.
   */
  async flushTelemetry(): Promise<void> {
    await this.#telemetry?.flush();
  }

  /**
   * Ends the worker and every model in it. Pending calls reject with `runtime-closed`. With
   * telemetry on, its last batch is sent (or queued) first. Right after a first load, an idle
   * worker first finishes storing onnxruntime-web's binary in the cache (what a visit offline
   * starts from): up to 0.5 s here, 5 s at most.
   */
  async close(): Promise<void> {
    await this.#telemetry?.close();
    const supervisors = [this.#supervisor, ...this.#dedicated];
    this.#dedicated.clear();
    await Promise.all(supervisors.map((supervisor) => supervisor.close()));
  }

  /** A supervisor for one model's own worker, retired with it. */
  #dedicatedSupervisor(): Supervisor {
    const supervisor: Supervisor = new Supervisor({
      ...this.#supervisorOptions,
      recycleWhenIdle: true,
      onRetired: () => this.#dedicated.delete(supervisor),
    });
    this.#dedicated.add(supervisor);
    return supervisor;
  }
}

/** The page's StorageManager, where the browser has one. */
function storageManager(): StorageManager | undefined {
  return globalThis.navigator?.storage;
}

/**
 * Creates a runtime. Nothing starts until the first `load`.
 *
 * @example
 * const rt = createRuntime();
 * const vad = await rt.load('/models/silero_vad.onnx', { onProgress: (p) => console.log(p) });
 */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime(options);
}
