import { createSHA256, type IHasher } from 'hash-wasm';

/** A file's bytes and their lowercase hex SHA-256. */
export interface HashedBytes {
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/**
 * Where a download's bytes go as they arrive, hashed on the way so that the SHA-256 is ready the
 * moment the last byte is: no second pass over a large file. Appends are contiguous; a download
 * that cannot resume starts again with `reset`.
 */
export interface DownloadBody {
  /** Bytes held, contiguous from the file's start: where a resume starts. */
  readonly length: number;
  /** A strong ETag or Last-Modified of the bytes held, for If-Range; null: cannot resume. */
  validator: string | null;
  /** Appends a piece; a promise means "wait for it before adding more" (backpressure). */
  add(piece: Uint8Array): Promise<void> | undefined;
  /** Drops every byte held and starts the hash again. */
  reset(): Promise<void>;
  /** The whole body, one buffer, and its SHA-256. */
  finish(): Promise<HashedBytes>;
  /** The bytes verified: keep them (a stored body marks its file complete). */
  commit(): Promise<void>;
  /** The bytes proved wrong: forget them, stored or not. */
  discard(): Promise<void>;
  /** Waits for work in flight (writes) to settle; the body is not used afterwards. */
  close(): Promise<void>;
}

/** A body held in memory only: for files that are not cached. */
export class MemoryBody implements DownloadBody {
  validator: string | null = null;
  #hasher: IHasher;
  #pieces: Uint8Array[] = [];
  #length = 0;

  private constructor(hasher: IHasher) {
    this.#hasher = hasher;
  }

  static async create(): Promise<MemoryBody> {
    return new MemoryBody(await createSHA256());
  }

  get length(): number {
    return this.#length;
  }

  add(piece: Uint8Array): undefined {
    this.#hasher.update(piece);
    this.#pieces.push(piece);
    this.#length += piece.byteLength;
  }

  async reset(): Promise<void> {
    this.#hasher = await createSHA256();
    this.#pieces = [];
    this.#length = 0;
    this.validator = null;
  }

  async finish(): Promise<HashedBytes> {
    return { bytes: concat(this.#pieces, this.#length), sha256: this.#hasher.digest('hex') };
  }

  async commit(): Promise<void> {}
  async discard(): Promise<void> {}
  async close(): Promise<void> {}
}

function concat(pieces: readonly Uint8Array[], length: number): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.byteLength;
  }
  return bytes;
}
