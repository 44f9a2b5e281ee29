import { createXXHash64 } from 'hash-wasm';
import { StorageError } from '../../errors.js';
import type { Validators } from '../revalidate-manifest.js';
import { sha256Hex } from '../sha256.js';
import { openStore, type StoreDatabase } from './open-store.js';
import type { ChunkRecord, FileRecord, ManifestRecord, ModelRecord, RuntimeFileRecord } from './schema.js';
import { storageEstimate } from './storage-estimate.js';

/** A cached model version, as `rt.cache.list()` reports it. */
export interface CachedModel {
  readonly id: string;
  readonly version: string;
  readonly manifestUrl: string;
  readonly bytes: number;
  readonly storedAt: number;
  readonly lastUsedAt: number;
}

/** Bytes read at once when a file is read in parts (see `readFile`) or a download resumes. */
const readPartBytes = 64 * 1024 * 1024;
/**
 * Files up to this size are read as one Blob into one buffer (no copy); larger ones in parts of
 * `readPartBytes` copied into theirs, so that no single Blob read asks the browser for hundreds
 * of MiB at once while other files are being read too.
 */
const wholeReadBytes = 256 * 1024 * 1024;

const byteSize = (data: Blob | Uint8Array) => (data instanceof Blob ? data.size : data.byteLength);

/**
 * The model cache in IndexedDB: files content-addressed by SHA-256 in bounded chunks, each chunk
 * written in its own short transaction with nothing else awaited inside, together with the file's
 * record, which is marked complete only with the last chunk (RELIABILITY.md 11); reads hashed
 * again before use, and a file that does not hash right is purged (RELIABILITY.md 9). The
 * database opens lazily and reopens after a connection closes (RELIABILITY.md 8).
 */
export class ModelStore {
  readonly #openStore: typeof openStore;
  #db: Promise<StoreDatabase> | undefined;

  /** `open` is injectable for tests. */
  constructor({ open = openStore }: { open?: typeof openStore } = {}) {
    this.#openStore = open;
  }

  async #open(): Promise<StoreDatabase> {
    this.#db ??= this.#openStore({ onClose: () => (this.#db = undefined) });
    try {
      return await this.#db;
    } catch (error) {
      this.#db = undefined;
      throw error;
    }
  }

  async file(sha256: string): Promise<FileRecord | undefined> {
    return (await this.#open()).get('files', sha256);
  }

  /** Whether a complete copy of the file is stored (not verified: `readFile` does that). */
  async hasFile(sha256: string): Promise<boolean> {
    return (await this.file(sha256))?.complete === true;
  }

  /** Of `files`, those without a complete stored copy: one read transaction for all of them. */
  async missingFiles<T extends { readonly sha256: string }>(files: readonly T[]): Promise<T[]> {
    const { store } = (await this.#open()).transaction('files');
    const stored = await Promise.all(files.map((file) => store.get(file.sha256)));
    return files.filter((_, i) => stored[i]?.complete !== true);
  }

  /**
   * The verified bytes of a complete file, or undefined when absent, incomplete, of another size
   * than `expectedBytes` (when given) or corrupt (then purged). A file up to `wholeReadBytes` is
   * read as one Blob of its chunks, straight into one buffer; a larger one in parts copied into
   * its buffer. Each chunk is checked against its XXH64, or, for chunks stored without one, the
   * whole file against its SHA-256.
   */
  async readFile(sha256: string, expectedBytes?: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const file = await this.file(sha256);
    if (!file?.complete || (expectedBytes !== undefined && file.bytes !== expectedBytes)) return undefined;
    let data: Uint8Array<ArrayBuffer> | undefined;
    const onPart = (part: Uint8Array<ArrayBuffer>, offset: number) => {
      if (offset === 0 && part.byteLength === file.bytes) {
        data = part; // the whole file at once: no copy
        return;
      }
      data ??= new Uint8Array(file.bytes);
      data.set(part, offset);
    };
    const partBytes = file.bytes <= wholeReadBytes ? Number.POSITIVE_INFINITY : readPartBytes;
    const read = await this.readChunks(file, file.chunks, onPart, partBytes);
    data ??= new Uint8Array(0);
    const verified = read === 'checksums' || (read === 'sizes' && (await sha256Hex(data)) === sha256);
    return verified ? data : this.purge(sha256);
  }

  /**
   * Hands the bytes of the first `count` chunks of `file` to `onPart` in order, in parts of
   * about `partBytes` (each read as one Blob of its chunks, the next already being read while
   * one is handled). Resolves to what was checked — `checksums` when every chunk had its XXH64
   * and matched it, `sizes` when some had none — or undefined when a chunk is missing,
   * unreadable, of the wrong size or altered (RELIABILITY.md 9).
   */
  async readChunks(
    file: FileRecord,
    count: number,
    onPart: (data: Uint8Array<ArrayBuffer>, offset: number) => void,
    partBytes = readPartBytes,
  ): Promise<'checksums' | 'sizes' | undefined> {
    const db = await this.#open();
    const sizeOf = (index: number) =>
      file.complete && index === file.chunks - 1 ? file.bytes - index * file.chunkBytes : file.chunkBytes;
    const range = IDBKeyRange.bound([file.sha256, 0], [file.sha256, count - 1]);
    const chunks = count === 0 ? [] : await db.getAll('chunks', range).catch(() => undefined);
    // Sizes are checked before a byte is read: a Blob knows its size.
    const sizesOk = chunks?.length === count && chunks.every(({ index, data }, i) => index === i && byteSize(data) === sizeOf(i));
    if (!chunks || !sizesOk) return undefined;
    const checksum = await createXXHash64();
    const perPart = Math.max(1, Math.min(count, Math.round(partBytes / file.chunkBytes)));
    const parts = Array.from({ length: Math.ceil(count / perPart) }, (_, p) => chunks.slice(p * perPart, (p + 1) * perPart));
    const read = (part: ChunkRecord[] | undefined) =>
      part && new Blob(part.map((chunk) => chunk.data as BlobPart)).arrayBuffer().then((buffer) => new Uint8Array(buffer));
    let next = read(parts[0])?.catch(() => undefined);
    for (let p = 0; p < parts.length; p++) {
      const data = await next;
      next = read(parts[p + 1])?.catch(() => undefined);
      const altered = (parts[p] ?? []).some(
        (chunk, i) =>
          chunk.xxh64 !== undefined &&
          checksum
            .init()
            .update(data?.subarray(i * file.chunkBytes, (i + 1) * file.chunkBytes) ?? new Uint8Array(0))
            .digest('hex') !== chunk.xxh64,
      );
      if (!data || altered) return undefined;
      onPart(data, p * perPart * file.chunkBytes);
    }
    return chunks.every((chunk) => chunk.xxh64 !== undefined) ? 'checksums' : 'sizes';
  }

  /**
   * Writes chunk `index` (none when `chunk` is undefined) and the file's record in one short
   * transaction. A write refused for quota, on `put` or only when the transaction completes
   * (RELIABILITY.md 2), fails with `quota-exceeded` carrying the storage figures. After a quota
   * error Firefox fails later transactions with `InvalidStateError` (RELIABILITY.md 3): the
   * connection is reopened and the write tried once more, then `storage-unavailable`.
   */
  async putChunk(record: FileRecord, index: number, chunk: { data: Blob; xxh64: string } | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const db = await this.#open();
      try {
        const tx = db.transaction(['chunks', 'files'], 'readwrite');
        await Promise.all([
          chunk && tx.objectStore('chunks').put({ sha256: record.sha256, index, ...chunk }),
          tx.objectStore('files').put(record),
          tx.done,
        ]);
        return;
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === 'QuotaExceededError') throw await quotaExceeded(record.expectedBytes ?? record.bytes, error);
        if (name !== 'InvalidStateError') throw error;
        db.close();
        this.#db = undefined;
        if (attempt >= 2) {
          throw new StorageError('storage-unavailable', 'IndexedDB keeps refusing writes after a reopen: models run uncached', {
            cause: error,
          });
        }
      }
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

  /** A cached version's record, if it is cached. */
  async getModel(id: string, version: string): Promise<ModelRecord | undefined> {
    return (await this.#open()).get('models', [id, version]);
  }

  async getManifest(url: string): Promise<ManifestRecord | undefined> {
    return (await this.#open()).get('manifests', url);
  }

  async putManifest(url: string, text: string, validators: Validators = {}): Promise<void> {
    await (await this.#open()).put('manifests', { url, text, fetchedAt: Date.now(), ...validators });
  }

  /** Bytes of onnxruntime-web's files (their records' sizes). */
  async runtimeUsage(): Promise<number> {
    return (await (await this.#open()).getAll('runtime')).reduce((sum, file) => sum + file.bytes, 0);
  }

  async getRuntimeFile(url: string): Promise<RuntimeFileRecord | undefined> {
    return (await this.#open()).get('runtime', url);
  }

  /**
   * Records a runtime file stored under `record.sha256`; files of older builds with the same
   * name (a bundler's hash changed) are forgotten and their bytes purged.
   */
  async putRuntimeFile(record: RuntimeFileRecord): Promise<void> {
    const db = await this.#open();
    // A bundler's content hash ("name-B3kX9_zQ.wasm") left out: the same file of another build.
    const name = (url: string) =>
      new URL(url).pathname
        .split('/')
        .pop()
        ?.replace(/-[\w-]{8}(?=\.wasm$)/, '');
    for (const old of await db.getAll('runtime')) {
      if (old.url === record.url || name(old.url) !== name(record.url)) continue;
      await db.delete('runtime', old.url);
      if (old.sha256 !== record.sha256) await this.purge(old.sha256);
    }
    await db.put('runtime', record);
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
        if ((await db.countFromIndex('models', 'byFile', sha256)) === 0) await this.purge(sha256);
      }
    }
    return doomed.length;
  }

  /** Deletes everything: versions, files, downloads that would have resumed, manifests. */
  async clear(): Promise<void> {
    const tx = (await this.#open()).transaction(['models', 'files', 'chunks', 'manifests', 'runtime'], 'readwrite');
    await Promise.all([...tx.objectStoreNames].map((name) => tx.objectStore(name).clear()).concat(tx.done));
  }

  /** Bytes stored, in complete files and in downloads that may resume. */
  async usage(): Promise<number> {
    const files = await (await this.#open()).getAll('files');
    return files.reduce((sum, file) => sum + file.bytes, 0);
  }

  /** Removes a file's record first (so it is never read as complete), then its chunks. */
  async purge(sha256: string): Promise<undefined> {
    const db = await this.#open();
    await db.delete('files', sha256);
    await db.delete('chunks', IDBKeyRange.bound([sha256, 0], [sha256, Number.MAX_SAFE_INTEGER]));
    return undefined;
  }
}

async function quotaExceeded(needed: number, cause: unknown): Promise<StorageError> {
  const estimate = await storageEstimate();
  const figures = estimate ? `${estimate.usage} of ${estimate.quota} bytes used` : 'usage unknown';
  return new StorageError('quota-exceeded', `Storing ${needed} bytes exceeds this origin's storage quota (${figures})`, {
    details: { needed, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null },
    cause,
  });
}
