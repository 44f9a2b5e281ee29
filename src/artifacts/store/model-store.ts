import { createSHA256 } from 'hash-wasm';
import { StorageError } from '../../errors.js';
import { openStore, type StoreDatabase } from './open-store.js';
import { chunkBytes, type ManifestRecord, type ModelRecord } from './schema.js';

/** A cached model version, as `rt.cache.list()` reports it. */
export interface CachedModel {
  readonly id: string;
  readonly version: string;
  readonly manifestUrl: string;
  readonly bytes: number;
  readonly storedAt: number;
  readonly lastUsedAt: number;
}

/**
 * The model cache in IndexedDB: files content-addressed by SHA-256 in bounded chunks, each chunk
 * its own short transaction with nothing else awaited inside, the file's record written last as
 * the "complete" mark (RELIABILITY.md 11); reads hashed again before use, and a file that does
 * not hash right is purged (RELIABILITY.md 9). The database opens lazily and reopens after a
 * connection closes (RELIABILITY.md 8).
 */
export class ModelStore {
  #db: Promise<StoreDatabase> | undefined;

  async #open(): Promise<StoreDatabase> {
    this.#db ??= openStore({ onClose: () => (this.#db = undefined) });
    try {
      return await this.#db;
    } catch (error) {
      this.#db = undefined;
      throw error;
    }
  }

  /**
   * The verified bytes of a complete file, or undefined when absent, incomplete, of another size
   * than `bytes` (when given) or corrupt.
   */
  async readFile(sha256: string, expectedBytes?: number): Promise<Uint8Array | undefined> {
    const db = await this.#open();
    const file = await db.get('files', sha256);
    if (!file?.complete || (expectedBytes !== undefined && file.bytes !== expectedBytes)) return undefined;
    const bytes = file.bytes;
    const data = new Uint8Array(bytes);
    const hasher = await createSHA256();
    for (let index = 0; index < file.chunks; index++) {
      const chunk = await db.get('chunks', [sha256, index]).catch(() => undefined);
      const offset = index * file.chunkBytes;
      if (!chunk || offset + chunk.data.byteLength > bytes) return this.#purge(sha256);
      hasher.update(chunk.data);
      data.set(chunk.data, offset);
    }
    return hasher.digest('hex') === sha256 ? data : this.#purge(sha256);
  }

  /** Whether a complete copy of the file is stored (not verified: `readFile` does that). */
  async hasFile(sha256: string): Promise<boolean> {
    return (await (await this.#open()).get('files', sha256))?.complete === true;
  }

  /**
   * Stores a verified file; the "complete" record goes last, so a torn write is never read. A
   * write refused for quota (on `put` or only when the transaction completes, RELIABILITY.md 2)
   * leaves nothing behind and fails with `quota-exceeded` carrying the storage figures.
   */
  async writeFile(sha256: string, data: Uint8Array): Promise<void> {
    const db = await this.#open();
    if ((await db.get('files', sha256))?.complete) return;
    const chunks = Math.ceil(data.byteLength / chunkBytes);
    try {
      for (let index = 0; index < chunks; index++) {
        const part = data.slice(index * chunkBytes, (index + 1) * chunkBytes);
        await db.put('chunks', { sha256, index, data: part });
      }
      await db.put('files', { sha256, bytes: data.byteLength, chunkBytes, chunks, complete: true });
    } catch (error) {
      await this.#purge(sha256).catch(() => undefined);
      if ((error as { name?: unknown }).name === 'QuotaExceededError') throw await quotaExceeded(data.byteLength, error);
      throw error;
    }
  }

  /**
   * Deletes least recently used versions, skipping those `keep` names, until `bytes` have been
   * freed or none is left; returns the bytes freed.
   */
  async evict(bytes: number, keep: (model: CachedModel) => boolean): Promise<number> {
    const db = await this.#open();
    const candidates = (await db.getAll('models')).filter((m) => !keep(m)).sort((a, b) => a.lastUsedAt - b.lastUsedAt);
    let freed = 0;
    for (const model of candidates) {
      if (freed >= bytes) break;
      const before = await this.usage();
      await this.delete(model.id, model.version);
      freed += before - (await this.usage());
    }
    return freed;
  }

  async putModel(record: Omit<ModelRecord, 'storedAt' | 'lastUsedAt'>): Promise<void> {
    const db = await this.#open();
    const now = Date.now();
    const existing = await db.get('models', [record.id, record.version]);
    await db.put('models', { ...record, storedAt: existing?.storedAt ?? now, lastUsedAt: now });
  }

  async getManifest(url: string): Promise<ManifestRecord | undefined> {
    return (await this.#open()).get('manifests', url);
  }

  async putManifest(url: string, text: string): Promise<void> {
    await (await this.#open()).put('manifests', { url, text, fetchedAt: Date.now() });
  }

  async list(): Promise<CachedModel[]> {
    const models = await (await this.#open()).getAll('models');
    return models.map(({ id, version, manifestUrl, bytes, storedAt, lastUsedAt }) => ({
      id,
      version,
      manifestUrl,
      bytes,
      storedAt,
      lastUsedAt,
    }));
  }

  /** Deletes a model's versions (all when `version` is absent) and the files no other version uses. */
  async delete(id: string, version?: string): Promise<number> {
    const db = await this.#open();
    const doomed = (await db.getAll('models')).filter((m) => m.id === id && (version === undefined || m.version === version));
    for (const model of doomed) {
      await db.delete('models', [model.id, model.version]);
      for (const sha256 of model.fileHashes) {
        if ((await db.countFromIndex('models', 'byFile', sha256)) === 0) await this.#purge(sha256);
      }
    }
    return doomed.length;
  }

  /** Bytes held in complete files. */
  async usage(): Promise<number> {
    const files = await (await this.#open()).getAll('files');
    return files.reduce((sum, file) => sum + (file.complete ? file.bytes : 0), 0);
  }

  /** Removes a file's record first (so it is never read as complete), then its chunks. */
  async #purge(sha256: string): Promise<undefined> {
    const db = await this.#open();
    await db.delete('files', sha256);
    await db.delete('chunks', IDBKeyRange.bound([sha256, 0], [sha256, Number.MAX_SAFE_INTEGER]));
    return undefined;
  }
}

/** RELIABILITY.md 4: `estimate()` may be missing or throw; the figures are then unknown. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | undefined> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
  return estimate?.usage !== undefined && estimate.quota !== undefined
    ? { usage: estimate.usage, quota: estimate.quota }
    : undefined;
}

async function quotaExceeded(needed: number, cause: unknown): Promise<StorageError> {
  const estimate = await storageEstimate();
  const figures = estimate ? `${estimate.usage} of ${estimate.quota} bytes used` : 'usage unknown';
  return new StorageError('quota-exceeded', `Storing ${needed} bytes exceeds this origin's storage quota (${figures})`, {
    details: { needed, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null },
    cause,
  });
}
