import type { DBSchema } from 'idb';

/**
 * The IndexedDB database of the model cache, and its schema version: 1 files, chunks, models
 * and manifests; 2 adds `runtime` (onnxruntime-web's own files).
 */
export const databaseName = 'webinfer';
export const databaseVersion = 2;

/**
 * Bytes per stored chunk, by default. Chromium refuses IndexedDB values over ~133 MB (its
 * per-value ceiling), and one huge value must be held whole in memory to write or read; a chunk
 * is also what a download interrupted by a reload resumes from. See `npm run bench` (chunk sizes)
 * for the measurement behind the choice.
 */
export const defaultChunkBytes = 16 * 1024 * 1024;

/**
 * A file, named by its SHA-256: two model versions that share a file share its bytes. While it
 * downloads, the record says how many whole chunks are stored and the server's validator for
 * them, so that a later visit resumes with `Range` + `If-Range` (RELIABILITY.md 12).
 */
export interface FileRecord {
  readonly sha256: string;
  /** Bytes stored: the file's size once complete. */
  readonly bytes: number;
  readonly chunkBytes: number;
  /** Chunks stored, contiguous from index 0. */
  readonly chunks: number;
  /** Written last, after every chunk: a file without it is incomplete and never read as a whole. */
  readonly complete: boolean;
  /** While incomplete: the size the file will have, when known. */
  readonly expectedBytes?: number;
  /** While incomplete: the strong ETag or Last-Modified the stored bytes came with. */
  readonly validator?: string | null;
  readonly updatedAt?: number;
}

/** One cached model version and the files it needs. */
export interface ModelRecord {
  readonly id: string;
  readonly version: string;
  readonly manifestUrl: string;
  /** SHA-256 of every file the version needs (indexed: which models use a file). */
  readonly fileHashes: readonly string[];
  readonly bytes: number;
  readonly storedAt: number;
  lastUsedAt: number;
  /** The version's manifest text, so `model.pin(version)` loads it again (absent on records from before). */
  readonly manifest?: string;
}

/** A manifest's text as last fetched, so a load works with the network off. */
export interface ManifestRecord {
  readonly url: string;
  readonly text: string;
  readonly fetchedAt: number;
  /** The validators it came with, for conditional revalidation (absent on records from before). */
  readonly etag?: string;
  readonly lastModified?: string;
}

/**
 * One chunk of a file. Its bytes are a Blob: Chromium keeps a Blob in a file of its own and reads
 * it back at file speed, where a large typed array is wrapped, copied and unwrapped on every
 * read and write (`npm run bench` measures both). Chunks from before are typed arrays.
 */
export interface ChunkRecord {
  readonly sha256: string;
  readonly index: number;
  readonly data: Blob | Uint8Array;
  /**
   * XXH64 (hex) of `data`, taken when the chunk was written from bytes that then verified
   * against the file's SHA-256: reads check each chunk at memory speed instead of hashing the
   * whole file with SHA-256 again. Absent on chunks from before; their files are SHA-256 checked.
   */
  readonly xxh64?: string;
}

/** A file of onnxruntime-web itself (its `.wasm`), by the URL it was fetched from; bytes in `files`. */
export interface RuntimeFileRecord {
  readonly url: string;
  readonly sha256: string;
  readonly bytes: number;
  /** The ETag or Last-Modified it came with: the same on a later fetch, it is not read again. */
  readonly validator?: string | null;
  /**
   * XXH64 (hex) of the whole file: a later fetch without a validator is compared by this, at
   * memory speed, before any SHA-256. Absent on records from before.
   */
  readonly xxh64?: string;
  readonly storedAt: number;
}

export interface StoreSchema extends DBSchema {
  files: { key: string; value: FileRecord };
  chunks: { key: [string, number]; value: ChunkRecord };
  models: { key: [string, string]; value: ModelRecord; indexes: { byFile: string } };
  manifests: { key: string; value: ManifestRecord };
  runtime: { key: string; value: RuntimeFileRecord };
}
