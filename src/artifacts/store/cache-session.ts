import { StorageError } from '../../errors.js';
import type { CacheStatus } from '../../types.js';
import { type DownloadBody, MemoryBody } from '../download-body.js';
import type { Validators } from '../revalidate-manifest.js';
import type { ModelStore } from './model-store.js';
import { defaultChunkBytes, type ModelRecord } from './schema.js';
import { storageEstimate } from './storage-estimate.js';
import { StoredBody } from './stored-body.js';

export interface CacheSessionOptions {
  /** Versions never to evict (those loaded). */
  readonly inUse?: (model: { id: string; version: string }) => boolean;
  /** Bytes per stored chunk of new files. */
  readonly chunkBytes?: number;
  /**
   * Whether a load whose files cannot be stored (quota, IndexedDB failing) runs from memory for
   * this session (true, the default) or fails with the `StorageError` (false).
   */
  readonly memoryFallback?: boolean;
}

/**
 * The cache as one load sees it. A storage failure never fails a load unless the caller said so
 * (`memoryFallback: false`): it is remembered, the load goes on uncached, and `status()` says
 * what happened, for `model.info.cache`.
 */
export class CacheSession {
  readonly #store: ModelStore | undefined;
  readonly #inUse: (model: { id: string; version: string }) => boolean;
  readonly #chunkBytes: number;
  readonly #memoryFallback: boolean;
  #problem: string | undefined;
  /** Per file: whether it was (last) found in the cache. */
  readonly #found = new Map<string, boolean>();

  /** `store` undefined: caching is off, for `reason`. */
  constructor(store: ModelStore | undefined, options: CacheSessionOptions = {}, reason?: string) {
    this.#store = store;
    this.#inUse = options.inUse ?? (() => false);
    this.#chunkBytes = options.chunkBytes ?? defaultChunkBytes;
    this.#memoryFallback = options.memoryFallback ?? true;
    this.#problem = store ? undefined : (reason ?? 'caching is off');
  }

  /**
   * Makes room for the files not yet stored (RELIABILITY.md 1): when `estimate()` says they do
   * not fit, least recently used versions not in use are evicted; when they still do not fit,
   * this load is not cached and says so, with the figures. Unknown figures: nothing is done.
   * Resolves to the bytes not stored yet (0: every file is in the cache), or undefined when the
   * cache is off or failing.
   */
  async preflight(files: readonly { readonly sha256: string; readonly bytes: number }[]): Promise<number | undefined> {
    return this.#safe(async (store) => {
      const bytes = (await store.missingFiles(files)).reduce((sum, file) => sum + file.bytes, 0);
      // A warm start needs no room; `estimate()` is a round trip to the browser (7 ms, the
      // first in a worker) that would hold back the start of onnxruntime-web beside the read.
      if (bytes === 0) return 0;
      const estimate = await storageEstimate();
      if (!estimate || estimate.quota - estimate.usage >= bytes) return bytes;
      await store.evict(bytes - (estimate.quota - estimate.usage), this.#inUse);
      const after = await storageEstimate();
      if (after && after.quota - after.usage < bytes) {
        throw new StorageError(
          'quota-exceeded',
          `quota exceeded: ${bytes} bytes do not fit (${after.usage} of ${after.quota} bytes used) even after evicting unused models`,
          { details: { needed: bytes, usage: after.usage, quota: after.quota } },
        );
      }
      return bytes;
    });
  }

  /** The manifest text last fetched from `url` and the validators it came with, if cached. */
  async manifestWithValidators(url: string): Promise<{ text: string; validators: Validators } | undefined> {
    const record = await this.#safe((store) => store.getManifest(url));
    if (!record) return undefined;
    const { etag, lastModified } = record;
    return { text: record.text, validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
  }

  /** The manifest of a cached version, with its URL, if it is cached with one. */
  async versionManifest(id: string, version: string): Promise<{ text: string; url: string } | undefined> {
    const record = await this.#safe((store) => store.getModel(id, version));
    return record?.manifest === undefined ? undefined : { text: record.manifest, url: record.manifestUrl };
  }

  /** Keeps `text` as `url`'s manifest, with the validators a revalidation got for it. */
  async rememberManifest(url: string, text: string, validators: Validators): Promise<void> {
    await this.#safe((store) => store.putManifest(url, text, validators));
  }

  /**
   * A cached, verified file, or undefined (a miss, unless a later read finds it: stored
   * meanwhile by another tab, it still counts as found).
   */
  async read(sha256: string, bytes?: number): Promise<Uint8Array | undefined> {
    const data = await this.#safe((store) => store.readFile(sha256, bytes));
    this.#found.set(sha256, data !== undefined);
    return data;
  }

  /**
   * Where to download a file: a body that stores it as it streams (resuming what an earlier visit
   * stored), or memory when caching is off or failing. A write refused for quota evicts unused
   * versions and is tried once more; a second failure leaves this load uncached.
   */
  async body(sha256: string, expectedBytes?: number): Promise<DownloadBody> {
    const stored = await this.#safe((store) =>
      StoredBody.open({
        store,
        sha256,
        chunkBytes: this.#chunkBytes,
        ...(expectedBytes === undefined ? {} : { expectedBytes }),
        makeRoom: async (error) =>
          error instanceof StorageError &&
          error.code === 'quota-exceeded' &&
          (await store.evict(expectedBytes ?? this.#chunkBytes, this.#inUse)) > 0,
        onFailure: (error) => this.#fail(error),
      }),
    );
    return stored ?? MemoryBody.create();
  }

  /**
   * Records a loaded version, so it lists, deletes and loads offline; its manifest is kept as
   * its URL's by `rememberManifest`, once the model proved good.
   */
  async remember(manifestUrl: string, model: Omit<ModelRecord, 'storedAt' | 'lastUsedAt' | 'manifestUrl'>): Promise<void> {
    await this.#safe((store) => store.putModel({ ...model, manifestUrl }));
  }

  status(): CacheStatus {
    if (this.#problem !== undefined) return { state: 'not-cached', reason: this.#problem };
    if (this.#found.size === 0) {
      return {
        state: 'not-cached',
        reason: 'a bare URL has no hash to verify a cached copy by: load a manifest or { url, sha256 }',
      };
    }
    return { state: [...this.#found.values()].every(Boolean) ? 'hit' : 'stored' };
  }

  async #safe<T>(operation: (store: ModelStore) => Promise<T>): Promise<T | undefined> {
    if (!this.#store || this.#problem !== undefined) return undefined;
    try {
      return await operation(this.#store);
    } catch (error) {
      await this.#fail(error);
      return undefined;
    }
  }

  /** Remembers why this load is not cached; with `memoryFallback: false`, fails it instead. */
  async #fail(error: unknown): Promise<void> {
    this.#problem ??= error instanceof Error ? error.message : String(error);
    if (!this.#memoryFallback) {
      throw error instanceof StorageError
        ? error
        : new StorageError('storage-unavailable', `The model cache failed: ${this.#problem}`, { cause: error });
    }
  }
}
