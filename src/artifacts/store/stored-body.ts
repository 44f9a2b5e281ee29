import { createSHA256, createXXHash64, type IHasher } from 'hash-wasm';
import type { DownloadBody, HashedBytes } from '../download-body.js';
import type { ModelStore } from './model-store.js';
import type { FileRecord } from './schema.js';

/** Chunk writes in flight before the download waits for the oldest (bounds memory, keeps a pipeline). */
const writesInFlight = 2;

export interface StoredBodyOptions {
  readonly store: ModelStore;
  readonly sha256: string;
  /** The file's size, when the manifest names it: the buffer is allocated once, exactly. */
  readonly expectedBytes?: number;
  readonly chunkBytes: number;
  /** A write failed: resolves true when room was made and the write is worth one more try. */
  readonly makeRoom: (error: unknown) => Promise<boolean>;
  /** Storing failed for good; called by `commit`, and what it throws, `commit` throws. */
  readonly onFailure: (error: unknown) => Promise<void>;
  /**
   * The caller hashed the bytes already, and `sha256` is theirs (onnxruntime-web's binary, hashed
   * by WebCrypto): they are not hashed again here, which held the worker's thread up to ~0.1 s
   * more for its 14 MB.
   */
  readonly hashed?: boolean;
}

/**
 * A download body that stores the file in the cache while it streams: each whole chunk is written
 * as soon as it has arrived (its own transaction, with the file record saying how far the file
 * got and with which validator), while the next bytes download and hash. A body opened for a file
 * an earlier visit left half stored starts from its stored chunks, so the download resumes with
 * `Range` + `If-Range` instead of starting over (RELIABILITY.md 12); the stored bytes go into the
 * same hash, so a bad resume is caught by the final check. The file is marked complete only by
 * `commit`, after the caller verified it. A write that fails stops storing, not the download.
 */
export class StoredBody implements DownloadBody {
  validator: string | null = null;
  readonly #options: StoredBodyOptions;
  #chunkBytes: number;
  #hasher: IHasher;
  /** XXH64 of each chunk written, for reads to check (see `ChunkRecord`). */
  readonly #checksum: IHasher;
  #buffer: Uint8Array<ArrayBuffer>;
  #length = 0;
  /** Chunks handed to writes so far. */
  #queued = 0;
  #chain: Promise<void> = Promise.resolve();
  #inFlight: Promise<void>[] = [];
  #failure: { error: unknown } | undefined;
  #retried = false;

  private constructor(options: StoredBodyOptions, hasher: IHasher, checksum: IHasher) {
    this.#options = options;
    this.#checksum = checksum;
    this.#chunkBytes = options.chunkBytes;
    this.#hasher = hasher;
    this.#buffer = new Uint8Array(options.expectedBytes ?? options.chunkBytes);
  }

  static async open(options: StoredBodyOptions): Promise<StoredBody> {
    const body = new StoredBody(options, await createSHA256(), await createXXHash64());
    await body.#resume();
    return body;
  }

  get length(): number {
    return this.#length;
  }

  add(piece: Uint8Array): Promise<void> | undefined {
    this.#append(piece);
    while (!this.#failure && (this.#queued + 1) * this.#chunkBytes <= this.#length) this.#enqueue(false);
    return this.#inFlight.length > writesInFlight ? this.#inFlight[0] : undefined;
  }

  async reset(): Promise<void> {
    await this.#chain;
    if (this.#queued > 0 && !this.#failure) await this.#options.store.purge(this.#options.sha256).catch(() => undefined);
    this.#hasher = await createSHA256();
    this.#length = 0;
    this.#queued = 0;
    this.validator = null;
  }

  async finish(): Promise<HashedBytes> {
    await this.#chain;
    const exact = this.#buffer.byteLength === this.#length;
    const sha256 = this.#options.hashed ? this.#options.sha256 : this.#hasher.digest('hex');
    return { bytes: exact ? this.#buffer : this.#buffer.slice(0, this.#length), sha256 };
  }

  async commit(): Promise<void> {
    await this.#chain;
    if (!this.#failure) await this.#enqueue(true);
    if (this.#failure) await this.#options.onFailure(this.#failure.error);
  }

  async discard(): Promise<void> {
    await this.#chain;
    await this.#options.store.purge(this.#options.sha256).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.#chain;
  }

  async #resume(): Promise<void> {
    const { store, sha256, expectedBytes } = this.#options;
    const record = await store.file(sha256);
    if (!record) return;
    const resumable = !record.complete && record.chunks > 0 && !!record.validator && record.expectedBytes === expectedBytes;
    if (resumable) {
      this.#chunkBytes = record.chunkBytes;
      if (await store.readChunks(record, record.chunks, (data) => this.#append(data))) {
        this.#queued = record.chunks;
        this.validator = record.validator ?? null;
        return;
      }
      this.#hasher = await createSHA256();
      this.#length = 0;
    }
    await store.purge(sha256);
  }

  #append(piece: Uint8Array): void {
    if (!this.#options.hashed) this.#hasher.update(piece);
    if (this.#length + piece.byteLength > this.#buffer.byteLength) {
      const grown = new Uint8Array(Math.max(this.#buffer.byteLength * 2, this.#length + piece.byteLength));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(piece, this.#length);
    this.#length += piece.byteLength;
  }

  /** Queues the write of the next chunk; `last`: the rest of the file, and the complete mark. */
  #enqueue(last: boolean): Promise<void> {
    const index = this.#queued;
    const start = index * this.#chunkBytes;
    const end = last ? this.#length : start + this.#chunkBytes;
    const bytes = this.#buffer.subarray(start, end);
    // A Blob copies just these bytes (a view would structured-clone its whole buffer).
    const chunk = end > start ? { data: new Blob([bytes]), xxh64: this.#checksum.init().update(bytes).digest('hex') } : undefined;
    const chunks = chunk ? index + 1 : index;
    const record: FileRecord = last
      ? { sha256: this.#options.sha256, bytes: end, chunkBytes: this.#chunkBytes, chunks, complete: true, updatedAt: Date.now() }
      : {
          sha256: this.#options.sha256,
          bytes: end,
          chunkBytes: this.#chunkBytes,
          chunks,
          complete: false,
          validator: this.validator,
          updatedAt: Date.now(),
          ...(this.#options.expectedBytes === undefined ? {} : { expectedBytes: this.#options.expectedBytes }),
        };
    this.#queued = chunks;
    const write = this.#chain.then(() => this.#write(record, index, chunk));
    this.#chain = write;
    this.#inFlight.push(write);
    void write.then(() => this.#inFlight.splice(this.#inFlight.indexOf(write), 1));
    return write;
  }

  async #write(record: FileRecord, index: number, chunk: { data: Blob; xxh64: string } | undefined): Promise<void> {
    if (this.#failure) return;
    for (;;) {
      try {
        return await this.#options.store.putChunk(record, index, chunk);
      } catch (error) {
        if (this.#retried || !(await this.#options.makeRoom(error).catch(() => false))) {
          this.#failure = { error };
          await this.#options.store.purge(this.#options.sha256).catch(() => undefined);
          return;
        }
        this.#retried = true;
      }
    }
  }
}
