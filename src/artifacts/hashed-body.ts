import { createSHA256, type IHasher } from 'hash-wasm';

/**
 * The bytes of a download as they arrive, hashed incrementally so that the SHA-256 is ready the
 * moment the last byte is: no second pass over a large file. Appends must be contiguous; a
 * download that cannot resume starts a new body with `reset`.
 */
export class HashedBody {
  #hasher: IHasher;
  #chunks: Uint8Array[] = [];
  #length = 0;

  private constructor(hasher: IHasher) {
    this.#hasher = hasher;
  }

  static async create(): Promise<HashedBody> {
    return new HashedBody(await createSHA256());
  }

  get length(): number {
    return this.#length;
  }

  add(chunk: Uint8Array): void {
    this.#hasher.update(chunk);
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }

  /** Drops every byte held and starts the hash again. */
  async reset(): Promise<void> {
    this.#hasher = await createSHA256();
    this.#chunks = [];
    this.#length = 0;
  }

  /** The whole body, one buffer, and its hex SHA-256. */
  finish(): { bytes: Uint8Array; sha256: string } {
    const bytes = this.#chunks.length === 1 ? (this.#chunks[0] as Uint8Array) : new Uint8Array(this.#length);
    if (this.#chunks.length !== 1) {
      let offset = 0;
      for (const chunk of this.#chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
    }
    return { bytes, sha256: this.#hasher.digest('hex') };
  }
}
