import * as v from 'valibot';
import { chooseVariant, type GpuSupport } from '../artifacts/choose-variant.js';
import { fetchArtifacts } from '../artifacts/fetch-artifacts.js';
import type { ChannelRead, ManifestRead, PinnedManifest } from '../artifacts/read-manifest.js';
import type { CacheSession } from '../artifacts/store/cache-session.js';
import { isWebinferError, StateError } from '../errors.js';
import { RunMonitor } from '../monitor/detect.js';
import { type FeedbackConfig, feedbackSchema } from '../monitor/feedback-schema.js';
import type { Monitoring } from '../monitor/schema.js';
import { checkBatching } from '../session/batch-probe.js';
import { type ChosenSession, createCheckedSession } from '../session/checked-session.js';
import { LoadedModel } from '../session/loaded-model.js';
import type { OrtLoader } from '../session/ort-loader.js';
import { describeValues } from '../session/tensors.js';
import { warmRuntime } from '../session/warm-runtime.js';
import { probeWebGpu } from '../session/webgpu-probe.js';
import { Pipeline } from '../transforms/pipeline.js';
import type { Backend, BatchingInfo, CanaryInfo, ModelInfo, StageProgress, VariantInfo } from '../types.js';
import type { LoadRequest } from './api.js';

/** A model ready to run, and the manifest it came from (for a manifest), pinned: it loads this version again. */
export interface OpenedModel {
  readonly model: LoadedModel;
  readonly manifest?: PinnedManifest;
}

export interface OpenOptions {
  readonly loadOrt: OrtLoader;
  readonly cache: CacheSession;
  readonly signal: AbortSignal;
  readonly report?: ((progress: StageProgress) => void) | undefined;
  /** Said in `info.fallbackReason` before the session's own: why this model is not where it was asked. */
  readonly fallbackReason?: string;
  /** Why builds that need WebGPU features cannot be used after all (one failed to create its session). */
  readonly gpuRefused?: string;
}

/**
 * Fetches (or reads from the cache) a model's files, creates its session on the first backend
 * that works and passes the manifest's canary, and checks batching when asked: a `LoadedModel` with everything the page is told.
 */
export async function openModel(request: LoadRequest, options: OpenOptions): Promise<OpenedModel> {
  const { signal, report, cache } = options;
  const started = performance.now();
  // A build that needs WebGPU features runs on WebGPU or not at all.
  const backendsFor = (needs: readonly string[]): readonly Backend[] => (needs.length > 0 ? ['webgpu'] : request.backends);
  // Asked now, beside the manifest's fetch: the build, the warm start and the session wait on it.
  if (request.backends.includes('webgpu')) void probeWebGpu();
  const artifacts = await fetchArtifacts(request.source, {
    signal,
    manifestKeys: request.manifestKeys,
    cache,
    chooseVariant: (manifest) => chooseVariant(manifest, request.variant, () => gpuSupport(request.backends, options.gpuRefused)),
    ...(request.cachedFirst ? { cachedFirst: true } : {}),
    ...(request.channel ? { channel: request.channel } : {}),
    ...(request.installId ? { installId: request.installId } : {}),
    ...(request.retry ? { retry: request.retry } : {}),
    ...(report ? { onProgress: report } : {}),
    // A warm start: onnxruntime-web's start (1.5–1.7 s here) goes on beside the file reads.
    onCached: (needs) => warmRuntime(backendsFor(needs), options.loadOrt, request.threads),
  });
  signal.throwIfAborted();
  report?.({ stage: 'creating-session', loaded: artifacts.bytes, total: artifacts.bytes });
  const sessionStarted = performance.now();
  const variant = artifacts.variant && variantInfo(artifacts.variant, request.variant, artifacts.variantFallbackReason);
  const backends = backendsFor(variant?.needs ?? []);
  let chosen: ChosenSession & { readonly canary?: CanaryInfo; readonly warmupMs?: number };
  try {
    chosen = await createCheckedSession(artifacts.model, artifacts.canary, {
      backends,
      loadOrt: options.loadOrt,
      threads: request.threads,
      externalData: artifacts.externalData,
    });
  } catch (error) {
    if (!variant?.needs.length || (isWebinferError(error) && error.code === 'canary-failed')) throw error;
    // The device has what the build needs, yet WebGPU would not take it: load a float32 build.
    const why = `its WebGPU session failed (${error instanceof Error ? error.message : String(error)})`;
    return openModel(request, { ...options, gpuRefused: why });
  }
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
    loadTimings: {
      ...artifacts.timings,
      sessionMs: performance.now() - sessionStarted,
      ...(chosen.warmupMs === undefined ? {} : { warmupMs: chosen.warmupMs }),
    },
    ...(fallbackReason ? { fallbackReason } : {}),
    ...(chosen.singleThread ? { singleThread: chosen.singleThread.cause, singleThreadReason: chosen.singleThread.reason } : {}),
    ...(variant ? { variant } : {}),
    ...(artifacts.channel ? { channel: { name: artifacts.channel.name, rollout: artifacts.channel.rollout } } : {}),
    ...(chosen.canary ? { canary: chosen.canary } : {}),
    ...feedbackOf(request.feedback, artifacts.monitoring),
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
  // Only now is the manifest kept as its URL's: a version whose session or canary failed never
  // becomes what a later load (from the cache first) opens.
  const { manifest, channel } = artifacts;
  if (manifest?.fresh) await cache.rememberManifest(artifacts.url, manifest.text, manifest.validators);
  if (channel?.document.fresh) {
    await cache.rememberManifest(request.source.url, channel.document.text, channel.document.validators);
  }
  const pipeline = artifacts.transforms && new Pipeline(artifacts.transforms, { tokenizer: artifacts.tokenizer });
  const described = { ...info, ...(batching ? { batching } : {}), ...(pipeline ? { transforms: pipeline.info } : {}) };
  const model = new LoadedModel(chosen, described, {
    batching: request.batching,
    pipeline,
    monitor: new RunMonitor(artifacts.monitoring),
  });
  return { model, ...(manifest ? { manifest: pinnedOf(artifacts.url, manifest, channel) } : {}) };
}

/** The feedback config: the load's option (checked here, where valibot is) over the manifest's. */
function feedbackOf(option: unknown, monitoring: Monitoring | undefined): { feedback?: FeedbackConfig } {
  const declared = monitoring?.feedback;
  if (option === undefined) return declared ? { feedback: declared } : {};
  const checked = v.safeParse(feedbackSchema, option);
  if (!checked.success) {
    const issue = checked.issues[0];
    const path = v.getDotPath(issue);
    const name = path ? `feedback.${path}` : 'feedback';
    throw new StateError('invalid-options', `${name}: ${issue.message}`, {
      details: { option: name, expected: issue.expected ?? 'see FeedbackConfig', actual: issue.received },
    });
  }
  return { feedback: { ...declared, ...checked.output } };
}

/** WebGPU's features here, or why it is not an option for this load. */
async function gpuSupport(backends: readonly Backend[], refused: string | undefined): Promise<GpuSupport> {
  if (refused) return { unavailable: refused };
  if (!backends.includes('webgpu')) return { unavailable: `webgpu is not among the backends asked for (${backends.join(', ')})` };
  return probeWebGpu();
}

function variantInfo(
  variant: Omit<VariantInfo, 'asked' | 'fallbackReason'>,
  asked: string | undefined,
  reason: string | undefined,
): VariantInfo {
  return asked !== undefined && asked !== variant.name
    ? { ...variant, asked, ...(reason ? { fallbackReason: reason } : {}) }
    : variant;
}

/** What loads the version `manifest` describes again, exactly: its text, its URL and channel. */
function pinnedOf(url: string, manifest: ManifestRead, channel: ChannelRead | undefined): PinnedManifest {
  const { text, validators } = manifest;
  if (!channel) return { text, validators, url };
  const { document } = channel;
  return {
    text,
    validators,
    url,
    channels: { text: document.text, validators: document.validators, channel: channel.name, rollout: channel.rollout },
  };
}
