import type { Feeds, Tensor } from '../types.js';

type Numeric = Exclude<Tensor['data'], string[]>;
type NumericType = new (buffer: ArrayBuffer, byteOffset: number, length: number) => Numeric;

/** Bytes kept for reuse at most; a batch past it allocates its memory as if there were no pool. */
const keptBytesLimit = 64 * 2 ** 20;

/**
 * Memory the worker stacks batches into, used again from one batch to the next. A stacked input
 * lives only until `session.run` has copied it into onnxruntime-web's own memory, and a buffer
 * allocated fresh for each batch costs more than the copy into it: the browser hands out pages
 * that fault in on first touch (~15 µs a page in the VM this project is measured on, so ~0.5 ms
 * for the 128 KiB of P6's batch). Buffers are kept up to `keptBytesLimit` in all.
 */
export class ScratchBuffers {
  readonly #free: ArrayBuffer[] = [];
  #keptBytes = 0;

  /** `length` elements of `like`'s type, on a buffer used before when a free one is large enough. */
  take(like: Numeric, length: number): Numeric {
    const Type = like.constructor as NumericType & { readonly BYTES_PER_ELEMENT: number };
    const bytes = length * Type.BYTES_PER_ELEMENT;
    let best = -1;
    for (const [i, buffer] of this.#free.entries()) {
      const fits = buffer.byteLength >= bytes;
      if (fits && (best < 0 || buffer.byteLength < (this.#free[best] as ArrayBuffer).byteLength)) best = i;
    }
    const [buffer] = best < 0 ? [new ArrayBuffer(bytes)] : this.#free.splice(best, 1);
    if (best >= 0) this.#keptBytes -= (buffer as ArrayBuffer).byteLength;
    return new Type(buffer as ArrayBuffer, 0, length);
  }

  /** Takes back the buffers of feeds `stackFeeds` made with this pool, once nothing reads them. */
  give(feeds: Feeds): void {
    for (const tensor of Object.values(feeds)) {
      const { buffer } = tensor.data as Numeric;
      // Detached (transferred after all) or too much kept already: left to the garbage collector.
      if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) continue;
      if (this.#keptBytes + buffer.byteLength > keptBytesLimit || this.#free.includes(buffer)) continue;
      this.#free.push(buffer);
      this.#keptBytes += buffer.byteLength;
    }
  }

  /** Bytes held for reuse. */
  get keptBytes(): number {
    return this.#keptBytes;
  }
}
