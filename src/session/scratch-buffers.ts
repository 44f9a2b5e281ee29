import type { Feeds, Tensor } from '../types.js';

type Numeric = Exclude<Tensor['data'], string[]>;
type NumericType = new (buffer: ArrayBuffer, byteOffset: number, length: number) => Numeric;

/** Bytes kept for reuse at most; a batch past it allocates its memory as if there were no pool. */
const keptBytesLimit = 64 * 2 ** 20;

/**
 * Memory the worker makes inputs in (batches stacked, images preprocessed), used again from one
 * run to the next. Such an input lives only until `session.run` has copied it into
 * onnxruntime-web's own memory, and a buffer allocated fresh for each run costs more than
 * filling it: the browser hands out pages that fault in on first touch (~15 µs a page in the VM
 * this project is measured on: ~0.5 ms for the 128 KiB of P6's batch, ~2.5 ms for a 224×224
 * image's 600 KB). Buffers are kept up to `keptBytesLimit` in all.
 */
export class ScratchBuffers {
  readonly #free: ArrayBuffer[] = [];
  /** Buffers handed out and not yet given back: the only ones `give` takes. */
  readonly #lent = new WeakSet<ArrayBuffer>();
  /** How many of them: none, and `give` has nothing to look for (the common run, fed as it came). */
  #lentCount = 0;
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
    const [buffer = new ArrayBuffer(bytes)] = best < 0 ? [] : this.#free.splice(best, 1);
    if (best >= 0) this.#keptBytes -= buffer.byteLength;
    this.#lent.add(buffer);
    this.#lentCount++;
    return new Type(buffer, 0, length);
  }

  /**
   * Takes back the buffers this pool lent (`take`) among `feeds`' tensors, once nothing reads
   * them; any other buffer, a caller's own, is left alone.
   */
  give(feeds: Feeds): void {
    if (this.#lentCount === 0) return;
    for (const tensor of Object.values(feeds)) {
      const { buffer } = tensor.data as Numeric;
      if (!(buffer instanceof ArrayBuffer) || !this.#lent.has(buffer)) continue;
      this.#lent.delete(buffer);
      this.#lentCount--;
      // Detached (transferred after all) or too much kept already: left to the garbage collector.
      if (buffer.byteLength === 0 || this.#keptBytes + buffer.byteLength > keptBytesLimit) continue;
      this.#free.push(buffer);
      this.#keptBytes += buffer.byteLength;
    }
  }

  /** Bytes held for reuse. */
  get keptBytes(): number {
    return this.#keptBytes;
  }
}
