import { ManifestError } from '../errors.js';
import { withLock } from '../lib/with-lock.js';
import type { Monitoring } from '../monitor/schema.js';
import type { Canary } from '../session/canary.js';
import { inlineLabelFiles } from '../transforms/label-files.js';
import type { Transforms } from '../transforms/schema.js';
import type { LoadTimings, StageProgress, VariantInfo } from '../types.js';
import { defaultChannel } from './channels.js';
import type { VariantChoice } from './choose-variant.js';
import { type FetchBytesOptions, fetchBytes } from './fetch-bytes.js';
import { fetchVerified } from './fetch-verified.js';
import { verifyManifestSignature } from './manifest-signature.js';
import { type ResolvedManifest, readManifestJson, validateManifest } from './parse-manifest.js';
import { PhaseClock } from './phase-clock.js';
import { type ChannelRead, type ManifestRead, type PinnedManifest, readManifest } from './read-manifest.js';
import type { RetryPolicy } from './retry-policy.js';
import type { CacheSession } from './store/cache-session.js';

/** What `rt.load` was given, as the worker sees it. */
export type ModelSource =
  | {
      readonly kind: 'manifest';
      readonly url: string;
      /**
       * This manifest text, not what the URL serves now (a version an update check fetched, or
       * the one a model was swapped to, loaded again after a worker restart); with the
       * validators it came with, kept beside it for the next check.
       */
      readonly pinned?: PinnedManifest;
    }
  | { readonly kind: 'file'; readonly url: string; readonly sha256?: string };

/** Verified bytes of one model version, ready for a session. */
export interface Artifacts {
  readonly id: string;
  readonly version: string;
  readonly url: string;
  readonly model: Uint8Array;
  /** Weights the graph references by path (ONNX external data). */
  readonly externalData: readonly { readonly path: string; readonly data: Uint8Array }[];
  /** All files' bytes together. */
  readonly bytes: number;
  /** The build loaded (a manifest may list several: float16, quantized); absent for a bare file. */
  readonly variant?: VariantInfo;
  /** Why that build is not the one asked for. */
  readonly variantFallbackReason?: string;
  /** The manifest's preprocessing and postprocessing, when it declares any. */
  readonly transforms?: Transforms;
  /**
   * The manifest it came from, with its validators. `fresh`: fetched (or pinned) for this load,
   * to keep as the URL's manifest once the model proved good (its session made, its canary
   * passed); false when it came from the cache.
   */
  readonly manifest?: ManifestRead;
  /** The channel followed, when the URL loaded was a channels document (kept with the manifest). */
  readonly channel?: ChannelRead;
  /** The tokenizer.json the manifest names (role `tokenizer`), parsed. */
  readonly tokenizer?: unknown;
  /** What the manifest says to watch in each run. */
  readonly monitoring?: Monitoring;
  readonly canary?: Canary;
  /** Where the time went (see `LoadTimings`). */
  readonly timings: Pick<LoadTimings, 'manifestMs' | 'cacheReadMs' | 'downloadMs'>;
}

export interface FetchArtifactsOptions {
  readonly signal?: AbortSignal;
  /** Retries, backoff and the stall timeout of every file's download. */
  readonly retry?: Partial<RetryPolicy>;
  /** Ed25519 public keys (raw, base64url): when any is given, manifests must be signed by one. */
  readonly manifestKeys?: readonly string[];
  readonly onProgress?: (progress: StageProgress) => void;
  /** Where verified files are read from and stored; absent: no caching. */
  readonly cache?: CacheSession;
  /** Picks which of a manifest's builds to fetch (see `chooseVariant`); default: its top-level files. */
  readonly chooseVariant?: (manifest: ResolvedManifest) => Promise<VariantChoice>;
  /**
   * Stale-while-revalidate: a manifest in the cache is used without asking the network (the
   * caller checks for a newer one afterwards); default: revalidated first.
   */
  readonly cachedFirst?: boolean;
  /** When the URL is a channels document: the channel to follow (default `stable`) and the install's id, for rollouts. */
  readonly channel?: string;
  readonly installId?: string;
  /**
   * Told when every file of a manifest is in the cache, before they are read (a warm start),
   * with the WebGPU features the chosen build needs.
   */
  readonly onCached?: (needs: readonly string[]) => void;
}

/**
 * Fetches a model's files. From a manifest, every file must match the size and SHA-256 the
 * manifest names: a mismatch is fetched once more, then refused with an `IntegrityError`, and
 * unverified bytes never reach onnxruntime-web. A bare file is verified when a SHA-256 is given.
 */
export async function fetchArtifacts(source: ModelSource, options: FetchArtifactsOptions = {}): Promise<Artifacts> {
  return source.kind === 'manifest' ? fromManifest(source, options) : fromFile(source, options);
}

async function fromManifest(
  { url: loadUrl, pinned }: Extract<ModelSource, { kind: 'manifest' }>,
  {
    onProgress,
    manifestKeys = [],
    cache,
    chooseVariant,
    cachedFirst = false,
    channel = defaultChannel,
    installId = '',
    onCached,
    ...options
  }: FetchArtifactsOptions,
): Promise<Artifacts> {
  const transport = transportOptions(options);
  const clock = new PhaseClock();
  const source = await readManifest(
    { url: loadUrl, ...(pinned ? { pinned } : {}) },
    { transport, cachedFirst, channel, installId, ...(cache ? { cache } : {}) },
  );
  const { url, read } = source;
  const { text } = read;
  const json = readManifestJson(text, url);
  const manifest = validateManifest(json, url);
  if (manifestKeys.length > 0) await verifyManifestSignature(json, manifestKeys, url);
  const choice: VariantChoice = chooseVariant ? await chooseVariant(manifest) : { variant: manifest.variants[0] };
  const { model } = choice.variant;
  // A build's own files, and the tokenizer and labels the top-level files name (builds share them).
  const shared = manifest.files.filter(
    (file) => (file.role === 'tokenizer' || file.role === 'labels') && !choice.variant.files.includes(file),
  );
  const files = [...choice.variant.files, ...shared];
  // The manifest's sizes are the truth for progress: Content-Length lies under compression.
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  if ((await cache?.preflight(files)) === 0) onCached?.(choice.variant.needs);
  clock.lap('manifestMs');
  let done = 0;
  const fetched = new Map<string, Uint8Array>();
  // Every cached file at once: their reads (and the SHA-256 check of chunks stored without
  // checksums) overlap.
  const cached = await Promise.all(files.map((file) => cache?.read(file.sha256, file.bytes)));
  files.forEach((file, index) => {
    const data = cached[index];
    if (!data) return;
    fetched.set(file.url, data);
    done += file.bytes;
    onProgress?.({ stage: 'reading-cache', loaded: done, total });
  });
  clock.lap('cacheReadMs');
  for (const file of files.filter((file) => !fetched.has(file.url))) {
    // One download per file across tabs: another tab fetching it holds the lock, and this one
    // then finds the file in the cache.
    const data = await withLock(`webinfer:file:${file.sha256}`, transport.signal, async () => {
      const stored = await cache?.read(file.sha256, file.bytes);
      if (stored) return stored;
      const onBytes = (loaded: number) => onProgress?.({ stage: 'downloading', loaded: done + loaded, total });
      const openBody = cache && (() => cache.body(file.sha256, file.bytes));
      const expected = { bytes: file.bytes, sha256: file.sha256 };
      return (await fetchVerified(file.url, expected, { onBytes, ...transport, ...(openBody ? { openBody } : {}) })).bytes;
    });
    clock.lap('downloadMs'); // waiting for another tab's download counts too
    fetched.set(file.url, data);
    done += file.bytes;
  }
  // The manifest itself is kept as the URL's once the model proved good (see `manifest`).
  await cache?.remember(url, {
    id: manifest.id,
    version: manifest.version,
    // Every build's files belong to this version: deleting it deletes whichever are stored.
    fileHashes: [...new Set(manifest.variants.flatMap((variant) => variant.files.map((file) => file.sha256)))],
    bytes: total,
    manifest: text,
  });
  clock.lap('manifestMs');
  const { name, precision } = choice.variant;
  const readLabels = (ref: string) => {
    const file = files.find((candidate) => candidate.role === 'labels' && candidate.url === new URL(ref, url).href);
    const bytes = file && fetched.get(file.url);
    return bytes && new TextDecoder().decode(bytes);
  };
  return {
    id: manifest.id,
    version: manifest.version,
    url,
    model: fetched.get(model.url) as Uint8Array,
    externalData: files
      .filter((file) => file.role === 'external-data')
      .map((file) => ({ path: file.path, data: fetched.get(file.url) as Uint8Array })),
    bytes: total,
    timings: clock.timings,
    variant: { name, precision, needs: choice.variant.needs },
    ...(choice.fallbackReason ? { variantFallbackReason: choice.fallbackReason } : {}),
    ...(manifest.transforms ? { transforms: inlineLabelFiles(manifest.transforms, readLabels) } : {}),
    ...(manifest.monitoring ? { monitoring: manifest.monitoring } : {}),
    ...(manifest.canary?.length ? { canary: manifest.canary } : {}),
    manifest: read,
    ...(source.channel ? { channel: source.channel } : {}),
    ...tokenizerOf(files, fetched, url),
  };
}

async function fromFile(
  source: Extract<ModelSource, { kind: 'file' }>,
  { onProgress, cache, ...options }: FetchArtifactsOptions,
): Promise<Artifacts> {
  const transport = transportOptions(options);
  const clock = new PhaseClock();
  const onBytes = (loaded: number, total: number | null) => onProgress?.({ stage: 'downloading', loaded, total });
  const name = decodeURIComponent(new URL(source.url).pathname.split('/').pop() ?? '');
  const id = name.replace(/\.onnx$/i, '') || 'model';
  // Only a file with a known hash can be cached: a cached copy is only ever used when it verifies.
  if (!source.sha256) {
    const { bytes, sha256 } = await fetchBytes(source.url, { what: 'an ONNX model', onBytes, ...transport });
    clock.lap('downloadMs');
    const version = sha256.slice(0, 12);
    return { id, version, url: source.url, model: bytes, externalData: [], bytes: bytes.byteLength, timings: clock.timings };
  }
  const sha256 = source.sha256;
  const bytes = await withLock(`webinfer:file:${sha256}`, transport.signal, async () => {
    clock.lap('downloadMs');
    const cached = await cache?.read(sha256);
    if (cached) {
      clock.lap('cacheReadMs');
      return cached;
    }
    const openBody = cache && (() => cache.body(sha256));
    return (await fetchVerified(source.url, { sha256 }, { onBytes, ...transport, ...(openBody ? { openBody } : {}) })).bytes;
  });
  clock.lap('downloadMs');
  const version = sha256.slice(0, 12);
  await cache?.remember(source.url, { id, version, fileHashes: [sha256], bytes: bytes.byteLength });
  clock.lap('manifestMs');
  return { id, version, url: source.url, model: bytes, externalData: [], bytes: bytes.byteLength, timings: clock.timings };
}

/** What every fetch of one load shares: the caller's signal and the retry policy. */
function transportOptions({ signal, retry }: FetchArtifactsOptions): Pick<FetchBytesOptions, 'signal' | 'retry'> {
  return { ...(signal ? { signal } : {}), ...(retry ? { retry } : {}) };
}

/** The manifest's tokenizer file, parsed; a file that is not JSON fails the load naming it. */
function tokenizerOf(
  files: readonly { role: string; url: string }[],
  fetched: ReadonlyMap<string, Uint8Array>,
  manifestUrl: string,
): { tokenizer?: unknown } {
  const file = files.find((candidate) => candidate.role === 'tokenizer');
  if (!file) return {};
  try {
    return { tokenizer: JSON.parse(new TextDecoder().decode(fetched.get(file.url))) };
  } catch (error) {
    throw new ManifestError(
      'manifest-invalid',
      `Manifest ${manifestUrl}: its tokenizer ${file.url} is not JSON (${(error as Error).message})`,
      {
        details: { url: manifestUrl, field: 'files', expected: 'a tokenizer.json', actual: file.url },
      },
    );
  }
}
