import { StorageError } from '../../errors.js';
import type { CacheStatus } from '../../types.js';
import { type ModelStore, storageEstimate } from './model-store.js';
import type { ModelRecord } from './schema.js';

/**
 * The cache as one load sees it. A storage failure never fails a load: it is remembered, the
 * load goes on uncached, and `status()` says what happened, for `model.info.cache`.
 */
export class CacheSession {
  readonly #store: ModelStore | undefined;
  readonly #inUse: (model: { id: string; version: string }) => boolean;
  #problem: string | undefined;
  #hits = 0;
  #misses = 0;

  /** `store` undefined: caching is off, for `reason`. `inUse` names versions never to evict. */
  constructor(
    store: ModelStore | undefined,
    inUse: (model: { id: string; version: string }) => boolean = () => false,
    reason?: string,
  ) {
    this.#store = store;
    this.#inUse = inUse;
    this.#problem = store ? undefined : (reason ?? 'caching is off');
  }

  /**
   * Makes room for the files not yet stored (RELIABILITY.md 1): when `estimate()` says they do
   * not fit, least recently used versions not in use are evicted; when they still do not fit,
   * this load is not cached and says so, with the figures. Unknown figures: nothing is done.
   */
  async preflight(files: readonly { readonly sha256: string; readonly bytes: number }[]): Promise<void> {
    await this.#safe(async (store) => {
      let bytes = 0;
      for (const file of files) if (!(await store.hasFile(file.sha256))) bytes += file.bytes;
      const estimate = await storageEstimate();
      if (!estimate || estimate.quota - estimate.usage >= bytes) return;
      await store.evict(bytes - (estimate.quota - estimate.usage), this.#inUse);
      const after = await storageEstimate();
      if (after && after.quota - after.usage < bytes) {
        throw new StorageError(
          'quota-exceeded',
          `quota exceeded: ${bytes} bytes do not fit (${after.usage} of ${after.quota} bytes used) even after evicting unused models`,
        );
      }
    });
  }

  /** The manifest text last fetched from `url`, if cached. */
  async manifest(url: string): Promise<string | undefined> {
    return (await this.#safe((store) => store.getManifest(url)))?.text;
  }

  /** A cached, verified file, or undefined (then counted as a miss). */
  async read(sha256: string, bytes?: number): Promise<Uint8Array | undefined> {
    const data = await this.#safe((store) => store.readFile(sha256, bytes));
    if (data) this.#hits++;
    else this.#misses++;
    return data;
  }

  /** Stores a verified file; on a quota error, evicts unused versions and tries once more. */
  async write(sha256: string, data: Uint8Array): Promise<void> {
    await this.#safe(async (store) => {
      try {
        await store.writeFile(sha256, data);
      } catch (error) {
        if (!(error instanceof StorageError && error.code === 'quota-exceeded')) throw error;
        if ((await store.evict(data.byteLength, this.#inUse)) === 0) throw error;
        await store.writeFile(sha256, data);
      }
    });
  }

  /** Records a loaded version (and its manifest), so it lists, deletes and loads offline. */
  async remember(
    manifestUrl: string,
    manifestText: string | undefined,
    model: Omit<ModelRecord, 'storedAt' | 'lastUsedAt' | 'manifestUrl'>,
  ): Promise<void> {
    await this.#safe(async (store) => {
      if (manifestText !== undefined) await store.putManifest(manifestUrl, manifestText);
      await store.putModel({ ...model, manifestUrl });
    });
  }

  status(): CacheStatus {
    if (this.#problem !== undefined) return { state: 'not-cached', reason: this.#problem };
    if (this.#hits + this.#misses === 0) {
      return {
        state: 'not-cached',
        reason: 'a bare URL has no hash to verify a cached copy by: load a manifest or { url, sha256 }',
      };
    }
    return { state: this.#misses === 0 && this.#hits > 0 ? 'hit' : 'stored' };
  }

  async #safe<T>(operation: (store: ModelStore) => Promise<T>): Promise<T | undefined> {
    if (!this.#store || this.#problem !== undefined) return undefined;
    try {
      return await operation(this.#store);
    } catch (error) {
      this.#problem = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }
}
