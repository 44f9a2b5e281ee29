import type { CacheStatus } from '../../types.js';
import type { ModelStore } from './model-store.js';
import type { ModelRecord } from './schema.js';

/**
 * The cache as one load sees it. A storage failure never fails a load: it is remembered, the
 * load goes on uncached, and `status()` says what happened, for `model.info.cache`.
 */
export class CacheSession {
  readonly #store: ModelStore | undefined;
  #problem: string | undefined;
  #hits = 0;
  #misses = 0;

  /** `store` undefined: caching is off, for `reason`. */
  constructor(store: ModelStore | undefined, reason?: string) {
    this.#store = store;
    this.#problem = store ? undefined : (reason ?? 'caching is off');
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

  async write(sha256: string, data: Uint8Array): Promise<void> {
    await this.#safe((store) => store.writeFile(sha256, data));
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
