import { IntegrityError } from '../errors.js';
import type { LoadProgress } from '../types.js';
import { type FetchBytesOptions, type FetchedBytes, fetchBytes } from './fetch-bytes.js';
import { verifyManifestSignature } from './manifest-signature.js';
import { readManifestJson, validateManifest } from './parse-manifest.js';
import type { RetryPolicy } from './retry-policy.js';

/** What `rt.load` was given, as the worker sees it. */
export type ModelSource =
  | { readonly kind: 'manifest'; readonly url: string }
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
}

export interface FetchArtifactsOptions {
  readonly signal?: AbortSignal;
  /** Retries, backoff and the stall timeout of every file's download. */
  readonly retry?: Partial<RetryPolicy>;
  /** Ed25519 public keys (raw, base64url): when any is given, manifests must be signed by one. */
  readonly manifestKeys?: readonly string[];
  readonly onProgress?: (progress: LoadProgress) => void;
}

/**
 * Fetches a model's files. From a manifest, every file must match the size and SHA-256 the
 * manifest names: a mismatch is fetched once more, then refused with an `IntegrityError`, and
 * unverified bytes never reach onnxruntime-web. A bare file is verified when a SHA-256 is given.
 */
export async function fetchArtifacts(source: ModelSource, options: FetchArtifactsOptions = {}): Promise<Artifacts> {
  return source.kind === 'manifest' ? fromManifest(source.url, options) : fromFile(source, options);
}

async function fromManifest(
  url: string,
  { onProgress, manifestKeys = [], ...options }: FetchArtifactsOptions,
): Promise<Artifacts> {
  const transport = transportOptions(options);
  // A manifest is small and names what is current: revalidate it with the server every time.
  const { bytes } = await fetchBytes(url, { what: 'a manifest', cache: 'no-cache', ...transport });
  const json = readManifestJson(new TextDecoder().decode(bytes), url);
  const manifest = validateManifest(json, url);
  if (manifestKeys.length > 0) await verifyManifestSignature(json, manifestKeys, url);
  // The manifest's sizes are the truth for progress: Content-Length lies under compression.
  const total = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  let done = 0;
  const fetched = new Map<string, Uint8Array>();
  for (const file of manifest.files) {
    const onBytes = (loaded: number) => onProgress?.({ stage: 'downloading', loaded: done + loaded, total });
    const data = await fetchVerified(file.url, { bytes: file.bytes, sha256: file.sha256 }, { onBytes, ...transport });
    fetched.set(file.url, data.bytes);
    done += file.bytes;
  }
  return {
    id: manifest.id,
    version: manifest.version,
    url,
    model: fetched.get(manifest.model.url) as Uint8Array,
    externalData: manifest.files
      .filter((file) => file.role === 'external-data')
      .map((file) => ({ path: file.path, data: fetched.get(file.url) as Uint8Array })),
    bytes: total,
  };
}

async function fromFile(
  source: Extract<ModelSource, { kind: 'file' }>,
  { onProgress, ...options }: FetchArtifactsOptions,
): Promise<Artifacts> {
  const transport = transportOptions(options);
  const onBytes = (loaded: number, total: number | null) => onProgress?.({ stage: 'downloading', loaded, total });
  const { bytes, sha256 } = source.sha256
    ? await fetchVerified(source.url, { sha256: source.sha256 }, { onBytes, ...transport })
    : await fetchBytes(source.url, { what: 'an ONNX model', onBytes, ...transport });
  const file = decodeURIComponent(new URL(source.url).pathname.split('/').pop() ?? '');
  return {
    id: file.replace(/\.onnx$/i, '') || 'model',
    version: sha256.slice(0, 12),
    url: source.url,
    model: bytes,
    externalData: [],
    bytes: bytes.byteLength,
  };
}

/** What every fetch of one load shares: the caller's signal and the retry policy. */
function transportOptions({ signal, retry }: FetchArtifactsOptions): Pick<FetchBytesOptions, 'signal' | 'retry'> {
  return { ...(signal ? { signal } : {}), ...(retry ? { retry } : {}) };
}

/** RELIABILITY.md 17: a file whose bytes do not match is fetched again at most once. */
const integrityAttempts = 2;

async function fetchVerified(
  url: string,
  expected: { readonly bytes?: number; readonly sha256: string },
  options: Omit<FetchBytesOptions, 'what'>,
): Promise<FetchedBytes> {
  for (let attempt = 1; ; attempt++) {
    const fetched = await fetchBytes(url, {
      ...options,
      what: 'an ONNX model file',
      ...(expected.bytes === undefined ? {} : { expectedBytes: expected.bytes }),
    });
    const sizeOk = expected.bytes === undefined || fetched.bytes.byteLength === expected.bytes;
    if (sizeOk && fetched.sha256 === expected.sha256) return fetched;
    if (attempt >= integrityAttempts) {
      throw new IntegrityError(
        'integrity-mismatch',
        `${url} does not match its manifest: expected ${expected.bytes ?? '?'} bytes with SHA-256 ${expected.sha256}, got ${fetched.bytes.byteLength} bytes with SHA-256 ${fetched.sha256}`,
        {
          details: {
            url,
            expected: expected.sha256,
            actual: fetched.sha256,
            expectedBytes: expected.bytes ?? null,
            actualBytes: fetched.bytes.byteLength,
            attempts: attempt,
          },
        },
      );
    }
  }
}
