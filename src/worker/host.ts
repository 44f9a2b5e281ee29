import { releaseProxy } from 'comlink';
import { fetchArtifacts } from '../artifacts/fetch-artifacts.js';
import { CacheSession } from '../artifacts/store/cache-session.js';
import { ModelStore } from '../artifacts/store/model-store.js';
import { storageEstimate } from '../artifacts/store/storage-estimate.js';
import { AbortError, StateError } from '../errors.js';
import { meterProgress } from '../lib/meter-progress.js';
import { throttleProgress } from '../lib/throttle-progress.js';
import { withTransfer } from '../lib/wire.js';
import { checkBatching } from '../session/batch-probe.js';
import { createSession } from '../session/create-session.js';
import { LoadedModel } from '../session/loaded-model.js';
import { cacheOrtBinaries } from '../session/ort-file-cache.js';
import { createOrtLoader } from '../session/ort-loader.js';
import { describeValues } from '../session/tensors.js';
import type { BatchingInfo, ModelInfo } from '../types.js';
import type { LoadRequest, WorkerApi } from './api.js';

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

  const modelFor = (handle: number): LoadedModel => {
    const model = models.get(handle);
    if (!model)
      throw new StateError('model-disposed', `Model handle ${handle} is not loaded (disposed, or never loaded)`, {
        details: { handle },
      });
    return model;
  };

  return {
    attach: holdLifeLock,
    ping: () => 'pong',

    async load(request: LoadRequest, onProgress) {
      const controller = new AbortController();
      loads.set(request.callId, controller);
      const started = performance.now();
      const report = onProgress && meterProgress(throttleProgress((p) => void onProgress(p)));
      // Versions loaded in this worker are in use: never evicted to make room.
      const inUse = (m: { id: string; version: string }) =>
        [...models.values()].some((loaded) => loaded.info.id === m.id && loaded.info.version === m.version);
      if (request.cache) binaries ??= cacheOrtBinaries(cacheStore);
      const cache = request.cache
        ? new CacheSession(cacheStore(), { inUse, ...request.cache })
        : new CacheSession(undefined, {}, 'caching is off: createRuntime({ cache: false })');
      try {
        const artifacts = await fetchArtifacts(request.source, {
          signal: controller.signal,
          manifestKeys: request.manifestKeys,
          cache,
          ...(request.retry ? { retry: request.retry } : {}),
          ...(report ? { onProgress: report } : {}),
        });
        controller.signal.throwIfAborted();
        report?.({ stage: 'creating-session', loaded: artifacts.bytes, total: artifacts.bytes });
        const sessionStarted = performance.now();
        const chosen = await createSession(artifacts.model, {
          backends: request.backends,
          loadOrt,
          threads: request.threads,
          externalData: artifacts.externalData,
        });
        const info: ModelInfo = {
          id: artifacts.id,
          version: artifacts.version,
          url: artifacts.url,
          bytes: artifacts.bytes,
          backend: chosen.backend,
          attempts: chosen.attempts,
          crossOriginIsolated: globalThis.crossOriginIsolated === true,
          threads: chosen.threads,
          inputs: describeValues(chosen.session.inputMetadata),
          outputs: describeValues(chosen.session.outputMetadata),
          cache: cache.status(),
          loadMs: performance.now() - started,
          loadTimings: { ...artifacts.timings, sessionMs: performance.now() - sessionStarted },
          ...(chosen.fallbackReason ? { fallbackReason: chosen.fallbackReason } : {}),
          ...(chosen.singleThreadReason ? { singleThreadReason: chosen.singleThreadReason } : {}),
        };
        let batching: BatchingInfo | undefined;
        try {
          controller.signal.throwIfAborted();
          if (request.batching) {
            const probe = new LoadedModel(chosen, info);
            batching = await checkBatching(info.inputs, info.outputs, request.batching, (feeds) => probe.infer(feeds));
          }
        } catch (error) {
          await chosen.session.release();
          throw error;
        }
        const handle = nextHandle++;
        const model = new LoadedModel(chosen, batching ? { ...info, batching } : info, request.batching);
        models.set(handle, model);
        report?.({ stage: 'ready', loaded: artifacts.bytes, total: artifacts.bytes });
        return { handle, info: model.info };
      } catch (error) {
        throw controller.signal.aborted ? new AbortError('The load was aborted', { cause: error }) : error;
      } finally {
        loads.delete(request.callId);
        releaseCallback(onProgress);
      }
    },

    async run(handle, feeds, request) {
      const queueing = request && {
        id: request.callId,
        ...(request.priority === undefined ? {} : { priority: request.priority }),
        ...(request.deadline === undefined
          ? {}
          : { deadlineMs: request.deadline - (performance.timeOrigin + performance.now()) }),
      };
      const { outputs, timings, buffers } = await modelFor(handle).run(feeds, queueing);
      return withTransfer({ outputs, timings }, buffers);
    },

    cancel(handle, callId) {
      models.get(handle)?.cancel(callId);
    },

    async dispose(handle) {
      const model = models.get(handle);
      if (!model) return;
      models.delete(handle);
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
