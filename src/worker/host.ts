import { releaseProxy } from 'comlink';
import { CacheSession } from '../artifacts/store/cache-session.js';
import { ModelStore } from '../artifacts/store/model-store.js';
import { storageEstimate } from '../artifacts/store/storage-estimate.js';
import { AbortError, BackendError, StateError, serializeError } from '../errors.js';
import { meterProgress } from '../lib/meter-progress.js';
import { throttleProgress } from '../lib/throttle-progress.js';
import { type Wire, withTransfer } from '../lib/wire.js';
import type { LoadedModel, RunSettings, WorkerRunReply } from '../session/loaded-model.js';
import { cacheOrtBinaries } from '../session/ort-file-cache.js';
import { createOrtLoader } from '../session/ort-loader.js';
import { assertWasmAllowed } from '../session/wasm-policy.js';
import { forgetWebGpu } from '../session/webgpu-probe.js';
import type { LoadRequest, RunReply, RunRequest, WorkerApi, WorkerEvent } from './api.js';
import { checkManifest } from './check-manifest.js';
import { openModel } from './open-model.js';

/**
 * The runtime host: owns every session in this worker. The page names models by the handle
 * `load` returns; the host is the only code that touches onnxruntime-web.
 */
export function createHost(): WorkerApi {
  const models = new Map<number, LoadedModel>();
  const loads = new Map<number, AbortController>();
  const loadOrt = createOrtLoader();
  let store: ModelStore | undefined;
  const cacheStore = () => (store ??= new ModelStore());
  let binaries: { settled(): Promise<void> } | undefined;
  let nextHandle = 1;
  /** Who waits for no load to be going on (`quiet`). */
  const waitingForQuiet: (() => void)[] = [];
  /** Resolves once no load is going on: now, or when the last one ends. */
  const quiet = (): Promise<void> => new Promise((resolve) => (loads.size === 0 ? resolve() : waitingForQuiet.push(resolve)));

  /** How each model was loaded: a model whose device is lost is loaded again on wasm. */
  const requests = new Map<number, LoadRequest>();
  /** Models being rebuilt on wasm after a device loss: their runs wait for it. */
  const rebuilding = new Map<number, Promise<unknown>>();
  let notify: ((event: WorkerEvent) => void) | undefined;
  let watching = false;

  const cacheFor = (request: LoadRequest): CacheSession => {
    // Versions loaded in this worker are in use: never evicted to make room.
    const inUse = (m: { id: string; version: string }) =>
      [...models.values()].some((loaded) => loaded.info.id === m.id && loaded.info.version === m.version);
    if (request.cache) binaries ??= cacheOrtBinaries(cacheStore, quiet);
    return request.cache
      ? new CacheSession(cacheStore(), { inUse, ...request.cache })
      : new CacheSession(undefined, {}, 'caching is off: createRuntime({ cache: false })');
  };

  /** onnxruntime-web shares one GPU device among a worker's WebGPU sessions: watched once. */
  const watchDevice = () => {
    if (watching) return;
    watching = true;
    void loadOrt('webgpu')
      .then((ort) => ort.env.webgpu.device as Promise<{ lost: Promise<{ message: string; reason: string }> }>)
      .then((device) => device.lost)
      .then((lost) => onDeviceLost(lost.message || lost.reason || 'unknown reason'));
  };

  /**
   * RELIABILITY.md 27: calls on the lost device reject with `device-lost`, and each model on it
   * is loaded again on wasm (its files from the cache) under the same handle; the page is told.
   */
  const onDeviceLost = (reason: string) => {
    forgetWebGpu();
    for (const [handle, model] of models) {
      if (model.info.backend !== 'webgpu') continue;
      const message = `The WebGPU device was lost (${reason}); the model is being moved to wasm`;
      model.loseDevice(new BackendError('device-lost', message, { details: { model: model.info.id, reason } }));
      const request = requests.get(handle);
      if (!request) continue;
      notify?.({ type: 'rebuild-started', handle, reason });
      const rebuild = openModel(
        { ...request, backends: ['wasm'] },
        {
          loadOrt,
          cache: cacheFor(request),
          signal: new AbortController().signal,
          fallbackReason: `webgpu: device lost (${reason})`,
        },
      ).then(
        ({ model: next }) => {
          if (!models.has(handle)) return void next.release();
          keep(handle, next);
          notify?.({ type: 'backend-change', handle, info: next.info, reason: `WebGPU device lost: ${reason}` });
        },
        (error: unknown) => {
          const why = error instanceof Error ? error.message : String(error);
          notify?.({ type: 'rebuild-failed', handle, reason: `WebGPU device lost (${reason}), and wasm failed: ${why}` });
        },
      );
      rebuilding.set(
        handle,
        rebuild.finally(() => rebuilding.delete(handle)),
      );
      void model.releaseWhenSettled();
    }
  };

  /** Holds `model` as `handle`; what its monitors find goes to the page as an event. */
  const keep = (handle: number, model: LoadedModel): void => {
    models.set(handle, model);
    model.onAnomalies = (anomalies) => notify?.({ type: 'anomalies', handle, version: model.info.version, anomalies });
  };

  const modelFor = (handle: number): LoadedModel => {
    const model = models.get(handle);
    if (!model)
      throw new StateError('model-disposed', `Model handle ${handle} is not loaded (disposed, or never loaded)`, {
        details: { handle },
      });
    return model;
  };

  /** One run queued on its model by `run` (`model.run`, say); its reply and the buffers to transfer with it. */
  const runOne = async (
    handle: number,
    request: RunRequest | undefined,
    run: (model: LoadedModel, settings: RunSettings | undefined) => Promise<WorkerRunReply>,
  ) => {
    await rebuilding.get(handle);
    const settings = request && {
      id: request.callId,
      ...(request.priority === undefined ? {} : { priority: request.priority }),
      ...(request.deadline === undefined ? {} : { deadlineMs: request.deadline - (performance.timeOrigin + performance.now()) }),
      ...(request.monitor === false ? { monitor: false } : {}),
    };
    const model = modelFor(handle);
    const { buffers, ...reply } = await run(model, settings);
    return { reply: { ...reply, version: model.info.version } as RunReply, buffers };
  };

  return {
    attach(lockName, onEvent) {
      notify = onEvent;
      return holdLifeLock(lockName);
    },
    ping: () => 'pong',

    async load(request: LoadRequest, onProgress) {
      const controller = new AbortController();
      loads.set(request.callId, controller);
      const report = onProgress && meterProgress(throttleProgress((p) => void onProgress(p)));
      try {
        // Before any download: without WebAssembly no backend could take the model.
        assertWasmAllowed();
        const { model, manifest } = await openModel(request, {
          loadOrt,
          cache: cacheFor(request),
          signal: controller.signal,
          report,
        });
        const handle = nextHandle++;
        keep(handle, model);
        requests.set(handle, request);
        if (model.info.backend === 'webgpu') watchDevice();
        report?.({ stage: 'ready', loaded: model.info.bytes, total: model.info.bytes });
        return { handle, info: model.info, ...(manifest ? { manifest } : {}) };
      } catch (error) {
        throw controller.signal.aborted ? new AbortError('The load was aborted', { cause: error }) : error;
      } finally {
        loads.delete(request.callId);
        releaseCallback(onProgress);
        if (loads.size === 0) for (const resolve of waitingForQuiet.splice(0)) resolve();
      }
    },

    async run(handle, inputs, request) {
      const { reply, buffers } = await runOne(handle, request, (model, settings) => model.run(inputs, settings));
      return withTransfer(reply, buffers);
    },

    async runStacked(handle, parts, request) {
      const { reply, buffers } = await runOne(handle, request, (model, settings) => model.runStacked(parts, settings));
      return withTransfer(reply, buffers);
    },

    async runMany(handle, calls) {
      const buffers: Transferable[] = [];
      // All queued before any runs: the batcher sees them together.
      const outcomes = await Promise.all(
        calls.map(({ inputs, request }) =>
          runOne(handle, request, (model, settings) => model.run(inputs, settings)).then(
            (ran): Wire<RunReply> => {
              buffers.push(...ran.buffers);
              return { ok: true, value: ran.reply };
            },
            (error: unknown): Wire<RunReply> => ({ ok: false, error: serializeError(error) }),
          ),
        ),
      );
      return withTransfer(outcomes, buffers);
    },

    async checkManifest(url, request = {}) {
      return checkManifest(url, new CacheSession(cacheStore()), request);
    },

    async cachedManifest(id, version) {
      return (await new CacheSession(cacheStore()).versionManifest(id, version)) ?? null;
    },

    resetState(handle) {
      modelFor(handle).resetState();
    },

    cancel(handle, callId) {
      models.get(handle)?.cancel(callId);
    },

    async dispose(handle) {
      const model = models.get(handle);
      if (!model) return;
      models.delete(handle);
      requests.delete(handle);
      await model.release();
    },

    abort(callId) {
      loads.get(callId)?.abort();
    },

    cacheList: () => cacheStore().list(),
    cacheDelete: (id, version) => cacheStore().delete(id, version),
    cacheClear: () => cacheStore().clear(),
    async cacheUsage() {
      await binaries?.settled(); // an onnxruntime-web binary being stored counts once it is
      const [bytes, runtimeBytes, origin] = await Promise.all([
        cacheStore().usage(),
        cacheStore().runtimeUsage(),
        storageEstimate(),
      ]);
      return { bytes, runtimeBytes, ...(origin ? { origin } : {}) };
    },

    async settleWrites() {
      if (loads.size === 0) await binaries?.settled();
    },
  };
}

/** Holds `lockName` until this worker ends; resolves once it is held (see `WorkerApi.attach`). */
function holdLifeLock(lockName: string): Promise<boolean> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return Promise.resolve(false);
  return new Promise((held) => {
    locks
      .request(lockName, () => {
        held(true);
        return new Promise<never>(() => {});
      })
      .catch(() => held(false));
  });
}

/** Frees the port of a Comlink callback proxy once the call that got it is over. */
function releaseCallback(callback: unknown): void {
  const release = (callback as { [releaseProxy]?: unknown } | undefined)?.[releaseProxy];
  if (typeof release === 'function') release.call(callback);
}
