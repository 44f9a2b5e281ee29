import { fetchArtifacts } from '../artifacts/fetch-artifacts.js';
import type { CacheSession } from '../artifacts/store/cache-session.js';
import { checkBatching } from '../session/batch-probe.js';
import { createSession } from '../session/create-session.js';
import { LoadedModel } from '../session/loaded-model.js';
import type { OrtLoader } from '../session/ort-loader.js';
import { describeValues } from '../session/tensors.js';
import type { BatchingInfo, ModelInfo, StageProgress } from '../types.js';
import type { LoadRequest } from './api.js';

export interface OpenOptions {
  readonly loadOrt: OrtLoader;
  readonly cache: CacheSession;
  readonly signal: AbortSignal;
  readonly report?: ((progress: StageProgress) => void) | undefined;
  /** Said in `info.fallbackReason` before the session's own: why this model is not where it was asked. */
  readonly fallbackReason?: string;
}

/**
 * Fetches (or reads from the cache) a model's files, creates its session on the first backend
 * that works, and checks batching when asked: a `LoadedModel` with everything the page is told.
 */
export async function openModel(request: LoadRequest, options: OpenOptions): Promise<LoadedModel> {
  const { signal, report, cache } = options;
  const started = performance.now();
  const artifacts = await fetchArtifacts(request.source, {
    signal,
    manifestKeys: request.manifestKeys,
    cache,
    ...(request.retry ? { retry: request.retry } : {}),
    ...(report ? { onProgress: report } : {}),
  });
  signal.throwIfAborted();
  report?.({ stage: 'creating-session', loaded: artifacts.bytes, total: artifacts.bytes });
  const sessionStarted = performance.now();
  const chosen = await createSession(artifacts.model, {
    backends: request.backends,
    loadOrt: options.loadOrt,
    threads: request.threads,
    externalData: artifacts.externalData,
  });
  const fallbackReason = [options.fallbackReason, chosen.fallbackReason].filter(Boolean).join('; ');
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
    ...(fallbackReason ? { fallbackReason } : {}),
    ...(chosen.singleThreadReason ? { singleThreadReason: chosen.singleThreadReason } : {}),
  };
  let batching: BatchingInfo | undefined;
  try {
    signal.throwIfAborted();
    if (request.batching) {
      const probe = new LoadedModel(chosen, info);
      batching = await checkBatching(info.inputs, info.outputs, request.batching, (feeds) => probe.infer(feeds));
    }
  } catch (error) {
    await chosen.session.release();
    throw error;
  }
  return new LoadedModel(chosen, batching ? { ...info, batching } : info, request.batching);
}
